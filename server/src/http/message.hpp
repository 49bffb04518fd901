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
    std::string path;                                        // the segments below joined by '/' (for logs, labels)
    std::vector<std::string> segments;                       // the path split at '/', then each part decoded
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

// The Content-Security-Policy of the web app's pages and static assets: only this origin, inline styles (Vant and
// Element Plus set them), WebAssembly (the QR reader), blob: and data: images and media (photos before upload).
extern const std::string_view kAppContentSecurityPolicy;

// Headers every answer carries unless its handler set its own: X-Content-Type-Options nosniff, Referrer-Policy
// same-origin; a Content-Security-Policy with frame-ancestors 'none' on HTML (the app's policy) and JSON (nothing at
// all may load); Cache-Control no-store on answers under /api/ (they carry personal data); Retry-After on a 503.
void ApplyDefaultHeaders(Response& response, std::string_view path);

// The HTTP status for an error code: the one place codes map to statuses.
int StatusForErrorCode(std::string_view code);

// Parses request.target (origin form, with Boost.URL) into segments, path and query: the path is split at '/'
// before each segment is decoded, so an escaped "%2F" stays inside its segment and never changes the route; query
// keys and values decode %XX and '+'. False for a malformed escape, invalid UTF-8 or a NUL byte. Characters that
// browsers send unescaped although RFC 3986 does not allow them (non-ASCII bytes, `|`, `{`, `"`, ...) are
// escaped first, as a lenient reading, not refused.
bool ParseTarget(Request& request);

}  // namespace safeloop::http
