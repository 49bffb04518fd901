#pragma once

// A real local HTTP server standing in for an SMS gateway or a WeCom / DingTalk robot in API tests. It
// listens on 127.0.0.1 on a free port in its own threads, records every request (path, decoded query,
// headers, body) and answers 200 {"errcode":0,"errmsg":"ok"} unless told to fail the next N requests
// (with a status) or to hang on them past the sender's timeout.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace safeloop::testing {

class FakeGateway {
public:
    struct Request {
        std::string method;
        std::string target;  // as received
        std::string path;
        std::map<std::string, std::string> query;    // percent-decoded
        std::map<std::string, std::string> headers;  // names lower-cased
        std::string body;
        int answered = 0;  // the status answered (0: hung, the caller gave up)
        std::string Header(const std::string& lower_name) const;
    };

    FakeGateway();
    ~FakeGateway();
    FakeGateway(const FakeGateway&) = delete;
    FakeGateway& operator=(const FakeGateway&) = delete;

    uint16_t port() const { return port_; }
    // http://127.0.0.1:<port><path_and_query>
    std::string Url(const std::string& path_and_query) const;

    // The next n requests are answered with `status` (and a small JSON body).
    void FailNext(int n, int status = 500);
    // The next n requests get no answer for `duration` (then a 200 the caller no longer waits for).
    void HangNext(int n, std::chrono::milliseconds duration);
    // What a normal request is answered with from now on.
    void SetAnswer(int status, std::string body);

    std::vector<Request> Requests() const;
    size_t Count() const;
    // Requests answered with a 2xx (not hung).
    size_t Accepted() const;
    // Waits until at least n requests were recorded; false on timeout.
    bool WaitForCount(size_t n, std::chrono::milliseconds timeout) const;

private:
    void AcceptLoop();
    void Serve(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread accept_thread_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::thread> connections_;
    std::vector<Request> requests_;
    int fail_next_ = 0;
    int fail_status_ = 500;
    int hang_next_ = 0;
    std::chrono::milliseconds hang_for_{0};
    int answer_status_ = 200;
    std::string answer_body_ = R"({"errcode":0,"errmsg":"ok"})";
};

}  // namespace safeloop::testing
