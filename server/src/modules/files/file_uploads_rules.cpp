#include "modules/files/file_uploads_rules.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace safeloop::files {

namespace {

std::optional<int64_t> Number(std::string_view text) {
    int64_t v = 0;
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}

AppError InvalidRange(std::string message) { return AppError{"invalid_range", std::move(message), {}, {}}; }

}  // namespace

std::optional<ChunkRange> ParseContentRange(std::string_view header) {
    constexpr std::string_view kUnit = "bytes ";
    if (header.substr(0, kUnit.size()) != kUnit) return std::nullopt;
    header.remove_prefix(kUnit.size());
    auto dash = header.find('-');
    auto slash = header.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) return std::nullopt;
    auto first = Number(header.substr(0, dash));
    auto last = Number(header.substr(dash + 1, slash - dash - 1));
    auto total = Number(header.substr(slash + 1));
    if (!first || !last || !total || *last < *first || *last >= *total) return std::nullopt;
    return ChunkRange{*first, *last, *total};
}

Status CheckChunk(const ChunkRange& range, size_t length, int64_t size, int64_t received) {
    if (range.total != size) {
        return InvalidRange("Content-Range 的总长与上传会话不符 / The Content-Range total is not the session's size");
    }
    if (static_cast<int64_t>(length) != range.last - range.first + 1) {
        return InvalidRange("分片长度与 Content-Range 不符 / The chunk's length does not match its Content-Range");
    }
    if (length > kMaxChunkBytes) {
        return AppError{"payload_too_large",
                        "分片过大（上限 " + std::to_string(kMaxChunkBytes >> 20U) +
                            " MB）/ The chunk is too large "
                            "(at most " +
                            std::to_string(kMaxChunkBytes >> 20U) + " MB)",
                        {},
                        {{"max_chunk_bytes", kMaxChunkBytes}}};
    }
    if (range.first != received) {
        return AppError{"offset_mismatch",
                        "分片位置不对，请从已接收的字节处继续 / The chunk does not start where the upload stands; "
                        "resume from `received`",
                        {},
                        {{"received", received}}};
    }
    return Ok{};
}

bool IsSha256Hex(std::string_view text) {
    constexpr size_t kHexChars = 64;
    return text.size() == kHexChars &&
           std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace safeloop::files
