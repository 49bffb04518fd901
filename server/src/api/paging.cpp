#include "api/paging.hpp"

#include <algorithm>

#include "core/crypto.hpp"

namespace safeloop::api {

namespace {

constexpr char kCursorSeparator = '\x1f';
constexpr size_t kMaxCursorChars = 512;
constexpr size_t kMaxLimitDigits = 9;

}  // namespace

std::optional<int> ParseLimit(std::optional<std::string_view> text) {
    if (!text) return kDefaultListLimit;
    if (text->empty() || !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    std::string_view digits = *text;
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits.size() > kMaxLimitDigits) return kMaxListLimit;
    int value = std::stoi(std::string(digits));
    if (value < 1) return std::nullopt;
    return std::min(value, kMaxListLimit);
}

std::string EncodeCursor(const std::vector<std::string>& parts) {
    std::string joined;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) joined.push_back(kCursorSeparator);
        joined += parts[i];
    }
    return HexEncode(joined);
}

std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor) {
    if (cursor.empty() || cursor.size() % 2 != 0 || cursor.size() > kMaxCursorChars) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string raw;
    for (size_t i = 0; i < cursor.size(); i += 2) {
        int hi = nibble(cursor[i]);
        int lo = nibble(cursor[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        raw.push_back(static_cast<char>(hi * 16 + lo));
    }
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t sep = raw.find(kCursorSeparator, start);
        parts.push_back(raw.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
        if (sep == std::string::npos) break;
        start = sep + 1;
    }
    return parts;
}

}  // namespace safeloop::api
