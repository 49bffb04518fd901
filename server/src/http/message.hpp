#pragma once

// Transport-neutral HTTP request and response. Handlers see only these; Boost.Beast stays inside
// http/server.cpp so that handler translation units compile fast.

#include <boost/json/value.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace safeloop {
struct AppError;
}

namespace safeloop::http {

struct Request {
    std::string method;                                      // upper case: GET, POST, ...
    std::string target;                                      // as received: /api/v1/users?login=a
    std::string path;                                        // percent-decoded path without the query
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    std::map<std::string, std::string> headers;              // names lower-cased
    std::string body;
    std::map<std::string, std::string> path_params;  // filled by the router
    std::string request_id;
    std::string remote_addr;

    std::optional<std::string_view> Header(std::string_view lower_name) const;
    // First value of a query parameter, if present.
    std::optional<std::string_view> Query(std::string_view name) const;
    const std::string& Param(const std::string& name) const;  // a path parameter the route declared
};

// A response body that keeps coming (Server-Sent Events): the handler returns at once with a stream;
// producers Push() chunks from any thread until Close(). The server writes chunks as they arrive and
// sends a comment line as a heartbeat when nothing came for a while.
class EventStream {
public:
    void Push(std::string chunk);
    void Close();
    bool closed() const;
    // Server side: takes what is queued; `closed` tells whether the producer is done.
    std::vector<std::string> Take(bool& closed);
    // Server side: called (from the producer's thread) whenever something was pushed or it closed.
    void SetNotifier(std::function<void()> notifier);

private:
    mutable std::mutex mutex_;
    std::deque<std::string> chunks_;
    bool closed_ = false;
    std::function<void()> notifier_;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::shared_ptr<EventStream> stream;  // set for streamed responses; body is then ignored
    // For HEAD answers built without reading the body: the Content-Length a GET would have.
    std::optional<size_t> head_content_length;

    static Response Json(int status, const boost::json::value& value);
    static Response Error(const AppError& error);
    static Response Bytes(int status, std::string content_type, std::string body);
    static Response NoContent();
};

// The HTTP status for an error code: the one place codes map to statuses.
int StatusForErrorCode(std::string_view code);

// Decodes %XX and (in query strings) '+'; returns nullopt for malformed escapes or invalid UTF-8.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
// Splits target into path and query; nullopt when the target is malformed.
bool ParseTarget(Request& request);

}  // namespace safeloop::http
