#include "core/clock.hpp"

#include <cstdio>

namespace safeloop {

TimePoint SystemClock::Now() const { return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()); }

ManualClock::ManualClock() : ManualClock(SystemClock().Now()) {}
ManualClock::ManualClock(TimePoint start) : now_ms_(ToUnixMillis(start)) {}
TimePoint ManualClock::Now() const { return FromUnixMillis(now_ms_.load()); }
void ManualClock::Advance(Millis by) { now_ms_.fetch_add(by.count()); }
void ManualClock::Set(TimePoint to) { now_ms_.store(ToUnixMillis(to)); }

int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromUnixMillis(int64_t ms) { return TimePoint(Millis(ms)); }

std::string FormatRfc3339(TimePoint t) {
    using namespace std::chrono;  // NOLINT(google-build-using-namespace): local to this function
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd(days);
    hh_mm_ss<Millis> hms(t - days);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()), static_cast<long>(hms.subseconds().count()));
    return buf;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}
}  // namespace

std::optional<TimePoint> ParseRfc3339(std::string_view s) {
    using namespace std::chrono;  // NOLINT(google-build-using-namespace)
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!Digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
        !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) || s[13] != ':' ||
        !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    size_t pos = 19;
    int64_t frac_ms = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (int i = digits; i < 3; ++i) frac_ms *= 10;
    }
    int64_t offset_min = 0;
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh = 0, om = 0;
        if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !Digits(s, pos + 4, 2, om))
            return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offset_min = (static_cast<int64_t>(oh) * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(se) + Millis(frac_ms) - minutes(offset_min);
    return time_point_cast<Millis>(tp);
}

}  // namespace safeloop
