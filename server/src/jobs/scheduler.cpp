#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

namespace safeloop::jobs {

namespace {
constexpr int kMaxPassesPerRun = 50;
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Add(std::string name, Task task) { tasks_.emplace_back(std::move(name), std::move(task)); }

size_t Scheduler::RunOnce() {
    std::lock_guard run_lock(run_mutex_);
    size_t done = 0;
    for (auto& [name, task] : tasks_) {
        try {
            done += task(pool_, clock_);
        } catch (const std::exception& e) {
            spdlog::error("job task {} failed: {}", name, e.what());
        }
    }
    return done;
}

size_t Scheduler::RunDueNow() {
    size_t total = 0;
    for (int pass = 0; pass < kMaxPassesPerRun; ++pass) {
        size_t done = RunOnce();
        total += done;
        if (done == 0) break;
    }
    return total;
}

void Scheduler::Start(std::chrono::milliseconds period) {
    if (thread_.joinable()) return;
    thread_ = std::thread([this, period] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            RunOnce();
            lock.lock();
            wake_.wait_for(lock, period, [this] { return stopping_; });
        }
    });
}

void Scheduler::Stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace safeloop::jobs
