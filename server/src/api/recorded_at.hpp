#pragma once

// The time a client says it recorded the action it sends: the sync sets it on every mutation it replays (from the
// mutation's created_at, the phone's clock), and features keep it as data beside their own server time. It is
// information, never a clock: deadlines and escalations run on server time.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "http/message.hpp"

namespace safeloop::api {

inline constexpr std::string_view kRecordedAtHeader = "x-safeloop-recorded-at";  // UTC milliseconds

inline std::optional<int64_t> RecordedAt(const http::Request& req) {
    auto it = req.headers.find(std::string(kRecordedAtHeader));
    if (it == req.headers.end()) return std::nullopt;
    int64_t ms = 0;
    const auto& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || end != text.data() + text.size() || ms <= 0) return std::nullopt;
    return ms;
}

}  // namespace safeloop::api
