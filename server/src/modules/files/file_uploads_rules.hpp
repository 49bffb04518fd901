#pragma once

// Resumable chunked uploads, pure rules: the Content-Range of a chunk and what a session accepts next.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace safeloop::files {

// A chunk is at most this large (a flaky link loses at most one chunk); the server's upload body limit is
// larger, so the limit for chunks is this one.
inline constexpr size_t kMaxChunkBytes = 8U << 20U;
// Sessions untouched this long are deleted when the tenant starts another one.
inline constexpr int64_t kUploadSessionTtlMs = 7LL * 24 * 3600 * 1000;

// "bytes first-last/total", as sent with a PUT of one chunk (RFC 9110 §14.4).
struct ChunkRange {
    int64_t first = 0;
    int64_t last = 0;  // inclusive
    int64_t total = 0;
};
std::optional<ChunkRange> ParseContentRange(std::string_view header);

// Whether a chunk of `length` bytes at `range` may be appended to a session of `size` bytes holding
// `received`. Errors: invalid_range (422), offset_mismatch (409-like conflict, carries "received"),
// payload_too_large.
Status CheckChunk(const ChunkRange& range, size_t length, int64_t size, int64_t received);

bool IsSha256Hex(std::string_view text);

}  // namespace safeloop::files
