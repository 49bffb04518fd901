#include "api/metrics.hpp"

#include <fmt/format.h>

namespace safeloop::api {

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    auto& s = series_[{method, route, status}];
    ++s.count;
    s.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) ++s.buckets[i];
    }
}

std::string Metrics::Render(const std::string& extra) const {
    std::string out;
    out += "# HELP safeloop_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE safeloop_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [key, s] : series_) {
        const auto& [method, route, status] = key;
        out += fmt::format("safeloop_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method,
                           route, status, s.count);
    }
    out += "# HELP safeloop_http_request_duration_seconds Time from request parsed to response ready.\n";
    out += "# TYPE safeloop_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
        const auto& [method, route, status] = key;
        auto labels = fmt::format(R"(method="{}",route="{}",status="{}")", method, route, status);
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            out += fmt::format("safeloop_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                               kBuckets[i], s.buckets[i]);
        }
        out += fmt::format("safeloop_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, s.count);
        out += fmt::format("safeloop_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
        out += fmt::format("safeloop_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
    }
    out += extra;
    return out;
}

}  // namespace safeloop::api
