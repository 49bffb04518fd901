#include "http/server.hpp"

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "http/log_limiter.hpp"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

namespace safeloop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// A request body larger than this is read with a buffer of kBodyReadBytes (Beast reads up to 64 KB at a time).
constexpr std::uint64_t kLargeBodyBytes = std::uint64_t{16} * 1024;
constexpr std::size_t kBodyReadBytes = std::size_t{64} * 1024;
// After an early error (413 before the body was read), how long the rest of the body is read and dropped.
constexpr auto kLingerTime = std::chrono::seconds(2);
// A failed accept() waits this long before the next try, doubling up to the maximum while it keeps failing.
constexpr auto kAcceptBackoffMin = std::chrono::milliseconds(50);
constexpr auto kAcceptBackoffMax = std::chrono::seconds(1);
// At the connection cap, with a connection waiting to be accepted: after closing an idle one, the accept comes this
// soon (the close runs on the connection's own strand); with nothing to close, the cap is looked at again this often.
constexpr auto kAfterEviction = std::chrono::milliseconds(2);
constexpr auto kCapPoll = std::chrono::milliseconds(50);
// A repeated warning (accept failing, the cap reached) is written at most once per interval.
constexpr auto kRepeatedLogInterval = std::chrono::seconds(10);

std::string NewRequestId() { return HexEncode(RandomBytes(8)); }

bool ValidRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::ranges::all_of(
        id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version, bool keep_alive, bool head,
                                            const std::string& request_id) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "safeloop");
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    res.set("X-Request-Id", request_id);
    for (auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(keep_alive);
    size_t length = head && r.head_content_length ? *r.head_content_length : r.body.size();
    if (!head) res.body() = std::move(r.body);
    res.content_length(length);
    return res;
}

// Mozilla's "intermediate" TLS 1.2 suites (forward secrecy, AEAD only); TLS 1.3 keeps OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::unique_ptr<ssl::context> MakeSslContext(const ServerOptions::Tls& tls) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                     ssl::context::single_dh_use);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) throw std::runtime_error("tls: no usable cipher");
    ctx->use_certificate_chain(asio::buffer(tls.chain_pem));
    ctx->use_private_key(asio::buffer(tls.key_pem), ssl::context::pem);
    return ctx;
}

template <typename Stream>
void ExpiresAfter(Stream& stream, std::chrono::steady_clock::duration d) {
    beast::get_lowest_layer(stream).expires_after(d);
}

Response EarlyError(int status, std::string_view code, std::string_view message) {
    AppError e{std::string(code), std::string(message), {}, {}};
    Response r = Response::Error(e);
    r.status = status;
    ApplyDefaultHeaders(r, "");
    return r;
}

Response TooLarge(size_t limit_bytes) {
    const size_t mib = limit_bytes >> 20;
    const std::string limit = mib > 0 && (limit_bytes & ((size_t{1} << 20) - 1)) == 0
                                  ? std::to_string(mib) + " MiB"
                                  : std::to_string(limit_bytes >> 10) + " KiB";
    return EarlyError(413, "payload_too_large",
                      "请求体超过 " + limit + " 的上限 / The request body is over the limit of " + limit);
}

bool OutOfDescriptors(const boost::system::error_code& ec) {
    namespace errc = boost::system::errc;
    return ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
           ec == errc::no_buffer_space || ec == errc::not_enough_memory;
}

int64_t SteadyTicks() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

}  // namespace

// What Stop() needs to wake a session that is idle between keep-alive requests. Touched only on the
// session's strand, except the atomics.
struct SessionState {
    beast::tcp_stream* stream = nullptr;
    asio::any_io_executor executor;
    std::atomic<bool> busy{false};
    // Waiting for a request (or the TLS handshake before the first): the connection may be closed to make room.
    std::atomic<bool> awaiting_request{true};
    std::atomic<int64_t> waiting_since{0};  // steady clock ticks
    std::atomic<bool> evicting{false};
    bool closed = false;
    std::shared_ptr<asio::steady_timer> stream_timer;  // set while a streamed response waits for data
};

struct Server::Impl {
    ServerOptions options;
    RequestHandler handler;
    asio::io_context ioc;
    asio::thread_pool workers;
    tcp::acceptor acceptor;
    std::optional<tcp::acceptor> plain_acceptor;  // plain HTTP next to HTTPS
    std::unique_ptr<ssl::context> ssl_context;
    uint16_t plain_port = 0;
    std::vector<std::thread> io_threads;
    std::atomic<bool> draining{false};
    std::atomic<int> active_sessions{0};
    std::mutex mutex;
    std::condition_variable idle;
    bool started = false;
    bool stopped = false;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
    std::set<std::shared_ptr<SessionState>> sessions;  // guarded by mutex
    size_t max_connections = 0;                        // set by Start()
    LogLimiter accept_log{kRepeatedLogInterval};
    LogLimiter cap_log{kRepeatedLogInterval};
    std::atomic<uint64_t> evicted{0};

    Impl(ServerOptions o, RequestHandler h)
        : options(std::move(o)),
          handler(std::move(h)),
          ioc(static_cast<int>(options.io_threads)),
          workers(options.worker_threads),
          acceptor(ioc) {}

    // Closes the connection that has waited longest for its next request (never one whose request is being read,
    // handled or answered). False when there is none.
    bool CloseLongestIdle() {
        std::shared_ptr<SessionState> oldest;
        {
            std::lock_guard lock(mutex);
            int64_t oldest_since = std::numeric_limits<int64_t>::max();
            for (const auto& session : sessions) {
                if (!session->awaiting_request || session->evicting || session->closed) continue;
                const int64_t since = session->waiting_since;
                if (since < oldest_since) {
                    oldest = session;
                    oldest_since = since;
                }
            }
            if (!oldest) return false;
            oldest->evicting = true;
        }
        ++evicted;
        asio::post(oldest->executor, [oldest] {
            // On the session's strand: a request may have arrived meanwhile, then it stays.
            if (oldest->closed || !oldest->awaiting_request) {
                oldest->evicting = false;
                return;
            }
            oldest->stream->cancel();
        });
        return true;
    }

    asio::awaitable<void> Listen(tcp::acceptor& acceptor, bool tls) {
        asio::steady_timer pause(co_await asio::this_coro::executor);
        auto backoff = std::chrono::steady_clock::duration(kAcceptBackoffMin);
        while (!draining) {
            if (static_cast<size_t>(active_sessions.load()) >= max_connections) {
                // At the cap: once a new connection is waiting, make room by closing the connection idle longest,
                // or, with none idle, look again a little later. Never spin.
                auto [wec] = co_await acceptor.async_wait(tcp::acceptor::wait_read, kUseTuple);
                if (draining || wec == asio::error::operation_aborted) break;
                if (static_cast<size_t>(active_sessions.load()) < max_connections) continue;
                const bool closed = !wec && CloseLongestIdle();
                if (auto repeats = cap_log.Admit(std::chrono::steady_clock::now())) {
                    spdlog::warn(
                        "{} connections open, the cap: closing the longest idle to accept more ({} closed "
                        "so far; {} more times since the last line)",
                        max_connections, evicted.load(), *repeats);
                }
                pause.expires_after(closed ? kAfterEviction : kCapPoll);
                co_await pause.async_wait(kUseTuple);
                continue;
            }
            auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
            if (ec) {
                if (draining || ec == asio::error::operation_aborted) break;
                // Out of descriptors (EMFILE, ENFILE) the same call fails at once again: free one if a connection is
                // idle, else back off, and write the warning once per interval, not once per try.
                const bool closed = OutOfDescriptors(ec) && CloseLongestIdle();
                if (auto repeats = accept_log.Admit(std::chrono::steady_clock::now())) {
                    spdlog::warn("accept failed: {} ({} connections open; {} more times since the last line)",
                                 ec.message(), active_sessions.load(), *repeats);
                }
                if (closed) {
                    pause.expires_after(kAfterEviction);
                } else {
                    pause.expires_after(backoff);
                    backoff = std::min<std::chrono::steady_clock::duration>(backoff * 2, kAcceptBackoffMax);
                }
                co_await pause.async_wait(kUseTuple);
                continue;
            }
            backoff = kAcceptBackoffMin;
            socket.set_option(tcp::no_delay(true), ec);
            ++active_sessions;  // here, not in the session: the cap must count it before the next accept
            asio::co_spawn(asio::make_strand(ioc), Session(std::move(socket), tls), asio::detached);
        }
    }

    // After an early error answer on a connection whose request body was not read: stop sending, then read and drop
    // what the client still sends, briefly. Closing with unread bytes would send a reset, and a client still
    // sending its body would lose the answer with it.
    // Reads at most `max_bytes` (the rest of the body), for at most the read timeout, and stops when nothing came
    // for kLingerTime.
    template <typename Stream>
    asio::awaitable<void> Linger(Stream& stream, std::uint64_t max_bytes) {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            boost::system::error_code ec;
            stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
        std::vector<char> sink(kBodyReadBytes);
        const auto deadline = std::chrono::steady_clock::now() + options.read_timeout;
        std::uint64_t read = 0;
        while (!draining && read < max_bytes && std::chrono::steady_clock::now() < deadline) {
            ExpiresAfter(stream, kLingerTime);
            auto [rec, rn] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
            if (rec) break;
            read += rn;
        }
    }

    template <typename Stream>
    asio::awaitable<void> WriteAndMaybeClose(Stream& stream, Response&& r, unsigned version, bool keep_alive, bool head,
                                             const std::string& request_id) {
        auto res = ToBeast(std::move(r), version, keep_alive, head, request_id);
        ExpiresAfter(stream, options.read_timeout);
        // NOLINTNEXTLINE(bugprone-use-after-move): clang-tidy counts the coroutine frame's cleanup as a use
        co_await bhttp::async_write(stream, res, kUseTuple);
    }

    // Writes a streamed (Server-Sent Events) response: headers, then each pushed chunk as an HTTP/1.1
    // chunk, a heartbeat comment when nothing came for a while, until the producer closes, the client
    // goes away or the server drains. The connection is not reused afterwards.
    template <typename Stream>
    asio::awaitable<void> WriteStream(Stream& stream, SessionState& state, Response&& r, unsigned version,
                                      const std::string& request_id) {
        bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(r.status), version};
        res.set(bhttp::field::server, "safeloop");
        res.set(bhttp::field::content_type, r.content_type);
        r.headers.emplace_back("Cache-Control", "no-cache");
        ApplyDefaultHeaders(r, "");
        res.set("X-Accel-Buffering", "no");
        res.set("X-Request-Id", request_id);
        for (auto& [name, value] : r.headers) res.insert(name, value);
        res.keep_alive(false);
        res.chunked(true);
        bhttp::response_serializer<bhttp::empty_body> serializer{res};
        ExpiresAfter(stream, options.read_timeout);
        auto [hec, hn] = co_await bhttp::async_write_header(stream, serializer, kUseTuple);
        auto source = r.stream;
        if (hec) {
            source->Close();
            co_return;
        }
        auto executor = co_await asio::this_coro::executor;
        auto timer = std::make_shared<asio::steady_timer>(executor);
        state.stream_timer = timer;
        source->SetNotifier([timer, executor] { asio::post(executor, [timer] { timer->cancel(); }); });
        constexpr auto kHeartbeat = std::chrono::seconds(20);
        bool ok = true;
        while (ok && !draining) {
            bool closed = false;
            auto chunks = source->Take(closed);
            for (auto& chunk : chunks) {
                ExpiresAfter(stream, options.read_timeout);
                auto [wec, wn] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(chunk)), kUseTuple);
                if (wec) {
                    ok = false;
                    break;
                }
            }
            if (!ok || closed) break;
            state.busy = false;
            timer->expires_after(kHeartbeat);
            auto [tec] = co_await timer->async_wait(kUseTuple);
            state.busy = true;
            if (!tec && !draining) {
                // Nothing for a while: a comment line keeps proxies and phones from dropping the link.
                static const std::string kPing = ": ping\n\n";
                ExpiresAfter(stream, options.read_timeout);
                auto [wec, wn] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(kPing)), kUseTuple);
                if (wec) ok = false;
            }
        }
        source->SetNotifier(nullptr);
        source->Close();
        state.stream_timer.reset();
        if (ok) {
            ExpiresAfter(stream, options.read_timeout);
            co_await asio::async_write(stream, bhttp::make_chunk_last(), kUseTuple);
        }
    }

    // One connection: plain HTTP, or (tls) a TLS handshake first. Plain bytes sent to the TLS port get a
    // short 400 in plain HTTP and the connection is closed; a failed or slow handshake just closes it.
    asio::awaitable<void> Session(tcp::socket socket, bool tls) {
        std::string remote;
        {
            boost::system::error_code ec;
            auto ep = socket.remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        auto state = std::make_shared<SessionState>();
        state->stream = &stream;
        state->executor = co_await asio::this_coro::executor;
        state->waiting_since = SteadyTicks();
        {
            std::lock_guard lock(mutex);
            sessions.insert(state);
        }
        if (!tls) {
            co_await Serve(stream, *state, buffer, remote);
            CloseSocket(stream);
        } else if (!draining) {
            stream.expires_after(options.handshake_timeout);
            auto [dec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, kUseTuple);
            if (!dec && !is_tls) {
                co_await RefusePlainHttp(stream);
                CloseSocket(stream);
            } else if (!dec) {
                beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *ssl_context);
                state->stream = &beast::get_lowest_layer(secure);
                ExpiresAfter(secure, options.handshake_timeout);
                auto [hec, used] = co_await secure.async_handshake(ssl::stream_base::server, buffer.data(), kUseTuple);
                if (!hec) {
                    buffer.consume(used);
                    co_await Serve(secure, *state, buffer, remote);
                    if (!draining) {
                        // close_notify; a peer that never answers it costs at most a second.
                        ExpiresAfter(secure, std::chrono::seconds(1));
                        co_await secure.async_shutdown(kUseTuple);
                    }
                } else {
                    spdlog::debug("tls handshake with {} failed: {}", remote, hec.message());
                }
                CloseSocket(beast::get_lowest_layer(secure));
                // Before `secure` goes: nothing may reach state->stream after this (same strand, no suspension).
                state->closed = true;
            }
        }
        state->closed = true;
        {
            std::lock_guard lock(mutex);
            sessions.erase(state);
        }
        if (--active_sessions == 0) {
            std::lock_guard lock(mutex);
            idle.notify_all();
        }
    }

    static void CloseSocket(beast::tcp_stream& stream) {
        boost::system::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.socket().close(ec);
    }

    asio::awaitable<void> RefusePlainHttp(beast::tcp_stream& stream) {
        static const std::string kBody =
            "此端口只接受 HTTPS，请用 https:// 打开。\nThis port speaks HTTPS: open it with https://.\n";
        static const std::string kResponse =
            "HTTP/1.1 400 Bad Request\r\nServer: safeloop\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Connection: close\r\nContent-Length: " +
            std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
        stream.expires_after(options.read_timeout);
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kResponse), kUseTuple);
        if (wec) co_return;
        // Read what the client still sends (briefly), so closing does not reset the answer away.
        boost::system::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        std::array<char, 4096> sink{};
        stream.expires_after(std::chrono::seconds(2));
        for (int i = 0; i < 64; ++i) {
            auto [rec, rn] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
            if (rec) break;
        }
    }

    // HTTP/1.1 requests on an open (plain or TLS) stream until close, error, timeout or drain.
    template <typename Stream>
    asio::awaitable<void> Serve(Stream& stream, SessionState& state_ref, beast::flat_buffer& buffer,
                                const std::string& remote) {
        SessionState* state = &state_ref;
        bool first = true;
        while (!draining) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
            // No limit while the header is read: Beast would refuse a Content-Length over it as a parse error there,
            // before this code can answer 413. The limit for the path is set once the target is known.
            parser.body_limit(boost::none);
            // The first request of a connection gets the read timeout; later ones the idle timeout.
            ExpiresAfter(stream, first ? options.read_timeout : options.idle_timeout);
            first = false;
            if (!state->awaiting_request) {
                state->waiting_since = SteadyTicks();
                state->awaiting_request = true;
            }
            auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
            state->awaiting_request = false;
            if (hec) {
                if (hec == bhttp::error::header_limit) {
                    co_await WriteAndMaybeClose(
                        stream, EarlyError(431, "headers_too_large", "请求头过大 / Request headers are too large"), 11,
                        false, false, NewRequestId());
                } else if (hec != bhttp::error::end_of_stream && hec != beast::error::timeout &&
                           hec != asio::error::eof && hec != asio::error::connection_reset &&
                           hec != asio::error::operation_aborted && buffer.size() > 0) {
                    co_await WriteAndMaybeClose(
                        stream, EarlyError(400, "bad_request", "无法解析的 HTTP 请求 / Malformed HTTP request"), 11,
                        false, false, NewRequestId());
                }
                break;
            }
            auto& header = parser.get();
            std::string_view target(header.target().data(), header.target().size());
            auto q = target.find('?');
            std::string_view raw_path = target.substr(0, q);
            bool upload = options.is_upload_path && options.is_upload_path(raw_path);
            const size_t body_limit = upload ? options.max_upload_bytes : options.max_body_bytes;
            parser.body_limit(body_limit);
            if (header.has_content_length() && parser.content_length() && *parser.content_length() > body_limit) {
                co_await WriteAndMaybeClose(stream, TooLarge(body_limit), header.version(), false, false,
                                            NewRequestId());
                co_await Linger(stream, *parser.content_length());
                break;
            }
            ExpiresAfter(stream, options.read_timeout);
            // Beast reads at most what the buffer can hold without growing (512 bytes after a small request's
            // header): a large body would arrive in ~100 000 reads per 50 MB, each a recvmsg, an epoll re-arm and
            // a timer reset. Room for 64 KB reads (Beast's largest) while a large body comes, given back after.
            const bool large_body = parser.chunked() || parser.content_length().value_or(0) > kLargeBodyBytes;
            if (large_body) buffer.reserve(kBodyReadBytes);
            auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
            if (large_body) buffer.shrink_to_fit();
            if (bec) {
                if (bec == bhttp::error::body_limit) {
                    co_await WriteAndMaybeClose(stream, TooLarge(body_limit), header.version(), false, false,
                                                NewRequestId());
                    co_await Linger(stream, std::uint64_t{2} * body_limit);  // chunked: its length is unknown
                } else if (bec != beast::error::timeout && bec != asio::error::eof &&
                           bec != asio::error::connection_reset && bec != bhttp::error::end_of_stream &&
                           bec != bhttp::error::partial_message) {
                    co_await WriteAndMaybeClose(
                        stream, EarlyError(400, "bad_request", "无法解析的 HTTP 请求 / Malformed HTTP request"),
                        header.version(), false, false, NewRequestId());
                }
                break;
            }
            state->busy = true;
            auto msg = parser.release();
            Request req;
            req.method = std::string(msg.method_string());
            req.target = std::string(msg.target());
            for (const auto& field : msg) {
                std::string name(field.name_string());
                for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
                if (!inserted) it->second += ", " + std::string(field.value());
            }
            req.body = std::move(msg.body());
            req.remote_addr = remote;
            auto rid = req.Header("x-request-id");
            req.request_id = rid && ValidRequestId(*rid) ? std::string(*rid) : NewRequestId();
            bool keep_alive = msg.keep_alive() && !draining;
            bool head = req.method == "HEAD";
            unsigned version = msg.version();

            // Leave the I/O thread: the handler (and all database work) runs on the worker pool.
            Response response = co_await asio::co_spawn(
                workers, [this, &req]() -> asio::awaitable<Response> { co_return handler(req); }, asio::use_awaitable);

            if (response.stream) {
                co_await WriteStream(stream, *state, std::move(response), version, req.request_id);
                break;
            }
            keep_alive = keep_alive && !draining;
            ApplyDefaultHeaders(response, std::string_view(req.target).substr(0, req.target.find('?')));
            auto res = ToBeast(std::move(response), version, keep_alive, head, req.request_id);
            ExpiresAfter(stream, options.read_timeout);
            auto [wec, wn] = co_await bhttp::async_write(stream, res, kUseTuple);
            state->busy = false;
            if (wec || !keep_alive) break;
        }
    }
};

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

namespace {

void Bind(tcp::acceptor& acceptor, const std::string& address, uint16_t port) {
    tcp::endpoint endpoint(asio::ip::make_address(address), port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
}

}  // namespace

size_t DefaultMaxConnections(uint64_t open_file_limit, size_t reserved) {
    constexpr uint64_t kLargest = uint64_t{1} << 20;  // "unlimited" and very large limits
    const uint64_t limit = std::min(open_file_limit, kLargest);
    const auto reserve = std::max<uint64_t>({reserved, limit / 4, 64});
    return static_cast<size_t>(std::max<uint64_t>(limit > reserve ? limit - reserve : 0, 16));
}

uint64_t OpenFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<uint64_t>::max() : limit.rlim_cur;
}

uint16_t Server::Start() {
    auto& s = *impl_;
    const uint64_t open_files = OpenFileLimit();
    s.max_connections = s.options.max_connections > 0 ? s.options.max_connections
                                                      : DefaultMaxConnections(open_files, s.options.reserved_fds);
    spdlog::info("at most {} connections at once (open-file limit {})", s.max_connections, open_files);
    bool tls = s.options.tls.has_value();
    if (tls) s.ssl_context = MakeSslContext(*s.options.tls);
    Bind(s.acceptor, s.options.address, s.options.port);
    uint16_t port = s.acceptor.local_endpoint().port();
    if (tls && s.options.plain_port) {
        s.plain_acceptor.emplace(s.ioc);
        Bind(*s.plain_acceptor, s.options.plain_address, *s.options.plain_port);
        s.plain_port = s.plain_acceptor->local_endpoint().port();
    }
    s.guard.emplace(s.ioc.get_executor());
    asio::co_spawn(s.ioc, s.Listen(s.acceptor, tls), asio::detached);
    if (s.plain_acceptor) asio::co_spawn(s.ioc, s.Listen(*s.plain_acceptor, false), asio::detached);
    for (size_t i = 0; i < s.options.io_threads; ++i) s.io_threads.emplace_back([&s] { s.ioc.run(); });
    s.started = true;
    return port;
}

uint16_t Server::PlainPort() const { return impl_->plain_port; }

void Server::RunUntilSignalled() {
    asio::io_context signal_ioc;
    asio::signal_set signals(signal_ioc, SIGINT, SIGTERM);
    signals.async_wait(
        [](const boost::system::error_code&, int signal) { spdlog::info("signal {} received: draining", signal); });
    signal_ioc.run();
    Stop();
}

void Server::Stop() {
    auto& s = *impl_;
    if (!s.started || s.stopped) return;
    s.stopped = true;
    s.draining = true;
    asio::post(s.ioc, [&s] {
        boost::system::error_code ec;
        s.acceptor.close(ec);
        if (s.plain_acceptor) s.plain_acceptor->close(ec);
    });
    // Idle keep-alive connections are waiting for a next request: wake them so they close now.
    {
        std::unique_lock lock(s.mutex);
        for (const auto& session : s.sessions) {
            if (session->busy) continue;
            asio::post(session->executor, [session] {
                if (session->closed) return;
                session->stream->cancel();
                if (session->stream_timer) session->stream_timer->cancel();
            });
        }
        s.idle.wait_for(lock, s.options.drain_timeout, [&s] { return s.active_sessions.load() == 0; });
    }
    s.guard.reset();
    s.ioc.stop();
    for (auto& t : s.io_threads) t.join();
    s.io_threads.clear();
    s.workers.join();
}

}  // namespace safeloop::http
