#pragma once

// The HTTP side of the outbox: POSTs a batch of messages to their gateways concurrently (libcurl multi),
// each with a connect and a total timeout, so a batch takes about one timeout however many gateways hang.
// The only file that uses libcurl. Never called inside a database transaction.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "modules/notify/notify_rules.hpp"

namespace safeloop::notify {

struct HttpOutcome {
    long status = 0;          // 0: no HTTP answer (see error)
    std::string body;         // the first max_response_bytes of the answer
    std::string error;        // transport failure (connect refused, timeout, ...), empty when an answer came
    int64_t duration_ms = 0;  // real time the call took
};

class HttpSender {
public:
    virtual ~HttpSender() = default;
    // One outcome per post, in order. Network failures are outcomes, not exceptions.
    virtual std::vector<HttpOutcome> PostAll(const std::vector<HttpPost>& posts) = 0;
};

struct HttpSenderOptions {
    Millis connect_timeout = std::chrono::seconds(3);
    Millis total_timeout = std::chrono::seconds(5);
    size_t max_response_bytes = size_t{16} * 1024;
};

std::unique_ptr<HttpSender> MakeCurlSender(const HttpSenderOptions& options);

}  // namespace safeloop::notify
