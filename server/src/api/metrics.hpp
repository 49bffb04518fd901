#pragma once

// Request counts and latency histograms by route and status, rendered in the Prometheus text format.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace safeloop::api {

class Metrics {
public:
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

    void Observe(const std::string& method, const std::string& route, int status, double seconds);
    // Renders all series; `extra` is appended verbatim (gauges owned by others, e.g. the DB pool).
    std::string Render(const std::string& extra) const;

private:
    struct Series {
        uint64_t count = 0;
        double sum = 0;
        std::array<uint64_t, kBuckets.size()> buckets{};
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, Series> series_;
};

}  // namespace safeloop::api
