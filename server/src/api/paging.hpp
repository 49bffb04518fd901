#pragma once

// List paging, the same for every list endpoint: `?limit=` and an opaque `cursor` that names the last item
// of the previous page by its sort key. A module builds its cursor from the key parts of its order
// (hazards: sort time, code year, code number) and reads them back:
//
//     auto limit = api::ParseLimit(req.Query("limit"));       // nullopt: answer 400 invalid_query
//     page.next_cursor = api::EncodeCursor({std::to_string(last.at), last.id});
//     auto parts = api::DecodeCursor(*req.Query("cursor"));  // nullopt: not a cursor we handed out

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::api {

inline constexpr int kDefaultListLimit = 50;
inline constexpr int kMaxListLimit = 1000;

// `?limit=`: absent -> 50, larger than 1000 -> 1000, anything not a positive whole number -> nullopt.
std::optional<int> ParseLimit(std::optional<std::string_view> text);

// A cursor is opaque to clients: the lower-case hex form of the key parts, joined by a unit separator.
std::string EncodeCursor(const std::vector<std::string>& parts);
// The parts of a cursor EncodeCursor made; nullopt for anything else (odd length, not lower-case hex, too long).
std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor);

}  // namespace safeloop::api
