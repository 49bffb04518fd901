#pragma once

// Time comes from an injected Clock, never from system_clock::now() directly, so tests can move it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace safeloop {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint Now() const = 0;
    virtual bool IsManual() const { return false; }
};

class SystemClock final : public Clock {
public:
    TimePoint Now() const override;
};

// Starts at the real time and moves only when told (serve --clock manual, tests).
class ManualClock final : public Clock {
public:
    ManualClock();
    explicit ManualClock(TimePoint start);
    TimePoint Now() const override;
    bool IsManual() const override { return true; }
    void Advance(Millis by);
    void Set(TimePoint to);

private:
    std::atomic<int64_t> now_ms_;
};

int64_t ToUnixMillis(TimePoint t);
TimePoint FromUnixMillis(int64_t ms);
// RFC 3339 in UTC with millisecond precision: 2026-11-28T08:15:00.000Z
std::string FormatRfc3339(TimePoint t);
// Accepts RFC 3339 with Z or an offset (+08:00); fractional seconds optional.
std::optional<TimePoint> ParseRfc3339(std::string_view s);

}  // namespace safeloop
