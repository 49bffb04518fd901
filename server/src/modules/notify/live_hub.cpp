#include "modules/notify/live_hub.hpp"

#include <algorithm>

namespace safeloop::notify {

namespace {

void DropClosed(std::vector<std::shared_ptr<http::EventStream>>& streams) {
    std::erase_if(streams, [](const auto& s) { return s->closed(); });
}

}  // namespace

std::shared_ptr<http::EventStream> LiveHub::Subscribe(const std::string& user_id) {
    auto stream = std::make_shared<http::EventStream>();
    std::shared_ptr<http::EventStream> evicted;
    {
        std::lock_guard lock(mutex_);
        auto& streams = streams_[user_id];
        DropClosed(streams);
        if (streams.size() >= kMaxStreamsPerUser) {
            evicted = streams.front();
            streams.erase(streams.begin());
        }
        streams.push_back(stream);
    }
    if (evicted) evicted->Close();  // outside the lock: Close() calls into the server
    return stream;
}

size_t LiveHub::Publish(const std::string& user_id, const std::string& chunk) {
    std::vector<std::shared_ptr<http::EventStream>> targets;
    {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(user_id);
        if (it == streams_.end()) return 0;
        DropClosed(it->second);
        if (it->second.empty()) {
            streams_.erase(it);
            return 0;
        }
        targets = it->second;
    }
    for (const auto& stream : targets) stream->Push(chunk);
    return targets.size();
}

size_t LiveHub::Prune() {
    std::lock_guard lock(mutex_);
    size_t open = 0;
    for (auto it = streams_.begin(); it != streams_.end();) {
        DropClosed(it->second);
        if (it->second.empty()) {
            it = streams_.erase(it);
        } else {
            open += it->second.size();
            ++it;
        }
    }
    return open;
}

size_t LiveHub::OpenStreams() const {
    std::lock_guard lock(mutex_);
    size_t open = 0;
    for (const auto& [user, streams] : streams_) {
        open += static_cast<size_t>(
            std::count_if(streams.begin(), streams.end(), [](const auto& s) { return !s->closed(); }));
    }
    return open;
}

void LiveHub::CloseAll() {
    std::unordered_map<std::string, std::vector<std::shared_ptr<http::EventStream>>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(streams_);
    }
    for (auto& [user, streams] : all) {
        for (auto& s : streams) s->Close();
    }
}

}  // namespace safeloop::notify
