// Content addresses, their place on disk, and HTTP byte ranges (file_rules.hpp). The rest of the header's rules
// live beside this file: file_sniff.cpp (types), file_exif.cpp (capture time, GPS, meta), file_pixels.cpp.

#include "modules/files/file_rules.hpp"

#include <algorithm>
#include <charconv>

namespace safeloop::files {

bool IsFileId(std::string_view text) {
    if (text.size() != 64) return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> NormalizeFileId(std::string_view text) {
    std::string id(text);
    for (char& c : id) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!IsFileId(id)) return std::nullopt;
    return id;
}

std::filesystem::path BlobPath(const std::filesystem::path& dir, std::string_view id) {
    return dir / std::string(id.substr(0, 2)) / std::string(id.substr(2, 2)) / std::string(id);
}

std::optional<ByteRange> ParseRange(std::string_view header, int64_t size) {
    constexpr std::string_view kPrefix = "bytes=";
    if (size <= 0 || header.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    std::string_view spec = header.substr(kPrefix.size());
    if (spec.find(',') != std::string_view::npos) return std::nullopt;
    const size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto parse = [](std::string_view digits, int64_t& out) {
        if (digits.empty()) return false;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return ec == std::errc() && end == digits.data() + digits.size() && out >= 0;
    };
    std::string_view first_text = spec.substr(0, dash);
    std::string_view last_text = spec.substr(dash + 1);
    int64_t first = 0, last = 0;
    if (first_text.empty()) {  // suffix: the last n bytes
        if (!parse(last_text, last) || last == 0) return std::nullopt;
        return ByteRange{std::max<int64_t>(0, size - last), size - 1};
    }
    if (!parse(first_text, first) || first >= size) return std::nullopt;
    if (last_text.empty()) return ByteRange{first, size - 1};
    if (!parse(last_text, last) || last < first) return std::nullopt;
    return ByteRange{first, std::min(last, size - 1)};
}

}  // namespace safeloop::files
