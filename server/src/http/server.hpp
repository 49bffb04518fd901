#pragma once

// The HTTP/1.1 listener: one coroutine per connection on a multi-threaded io_context, with limits on
// header and body size, a read timeout, an idle keep-alive timeout and a graceful drain on stop.
// Handlers run on a separate worker pool (sized like the database pool), never on the I/O threads.
// With `tls` set, `port` speaks HTTPS (TLS 1.2+, a handshake timeout, plain HTTP bytes answered with a
// short 400 and closed) and `plain_port` may add a plain-HTTP listener serving the same handler.

#include "http/message.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace safeloop::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    uint16_t port = 8080;  // 0 picks a free port (tests)
    size_t io_threads = 2;
    size_t worker_threads = 4;
    size_t max_header_bytes = size_t{16} * 1024;
    size_t max_body_bytes = 1 << 20;         // JSON requests
    size_t max_upload_bytes = 64 << 20;      // paths for which is_upload_path() is true
    std::chrono::seconds read_timeout{30};   // a request must arrive whole within this
    std::chrono::seconds idle_timeout{75};   // keep-alive connection with nothing to read
    std::chrono::seconds drain_timeout{10};  // on stop, in-flight requests get this long
    std::function<bool(std::string_view path)> is_upload_path;
    // Connections open at once; 0 derives it from the open-file limit (DefaultMaxConnections). At the cap the
    // connection that has waited longest for its next request is closed to make room; when none waits, accepting
    // pauses until one ends. A failed accept (EMFILE, ENFILE, ...) backs off instead of retrying at once.
    size_t max_connections = 0;
    size_t reserved_fds = 0;  // descriptors kept for the database, files and logs when deriving the cap

    struct Tls {
        std::string chain_pem;  // server certificate first, then any intermediates
        std::string key_pem;
    };
    std::optional<Tls> tls;                      // set: `port` serves HTTPS
    std::chrono::seconds handshake_timeout{10};  // a TLS client hello and handshake must finish within this
    std::optional<uint16_t> plain_port;          // with tls: also serve plain HTTP here (0 = a free port)
    std::string plain_address = "127.0.0.1";
};

// The connection cap for an open-file limit: the limit less the descriptors the rest of the process needs (at
// least `reserved`, at least a quarter of the limit, at least 64), never below 16.
size_t DefaultMaxConnections(uint64_t open_file_limit, size_t reserved);
// The process's soft RLIMIT_NOFILE (a large number when unlimited).
uint64_t OpenFileLimit();

// Runs on a worker thread; must not throw (the dispatcher catches everything).
using RequestHandler = std::function<Response(Request&)>;

class Server {
public:
    Server(ServerOptions options, RequestHandler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts the I/O and worker threads; returns the bound port. Throws if it cannot bind.
    uint16_t Start();
    // The plain-HTTP port bound next to an HTTPS one (ServerOptions::plain_port), or 0.
    uint16_t PlainPort() const;
    // Blocks until SIGINT/SIGTERM or Stop(), then drains.
    void RunUntilSignalled();
    // Stops accepting, lets in-flight requests finish (up to drain_timeout), then stops the threads.
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace safeloop::http
