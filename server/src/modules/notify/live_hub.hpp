#pragma once

// This process's open notification streams (GET /api/v1/notifications/stream), by user. The live poller
// (NotifyService::PollLive, a scheduler task) reads new `notifications` rows every tick and publishes
// them here, so a message written by any server reaches the browsers connected to every server without
// LISTEN/NOTIFY. Streams the HTTP server has closed (client gone) are dropped on the next publish/prune.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"

namespace safeloop::notify {

class LiveHub {
public:
    // A user with more open streams than this loses the oldest (a tab left open forever, reconnect loops).
    static constexpr size_t kMaxStreamsPerUser = 8;

    std::shared_ptr<http::EventStream> Subscribe(const std::string& user_id);
    // Pushes a chunk to every open stream of the user; returns how many got it.
    size_t Publish(const std::string& user_id, const std::string& chunk);
    // Drops closed streams; returns how many stay open.
    size_t Prune();
    size_t OpenStreams() const;
    // Closes every stream (server shutdown).
    void CloseAll();

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::shared_ptr<http::EventStream>>> streams_;
};

}  // namespace safeloop::notify
