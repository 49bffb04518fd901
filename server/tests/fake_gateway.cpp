#include "fake_gateway.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cctype>

namespace safeloop::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string FakeGateway::Request::Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
}

FakeGateway::FakeGateway() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeGateway::~FakeGateway() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();  // wakes hanging requests
    // Unblock accept() with one last connection.
    boost::system::error_code ec;
    tcp::socket poke(ioc_);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    accept_thread_.join();
    std::vector<std::thread> connections;
    {
        std::lock_guard lock(mutex_);
        connections.swap(connections_);
    }
    for (auto& t : connections) t.join();
}

std::string FakeGateway::Url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

void FakeGateway::FailNext(int n, int status) {
    std::lock_guard lock(mutex_);
    fail_next_ = n;
    fail_status_ = status;
}

void FakeGateway::HangNext(int n, std::chrono::milliseconds duration) {
    std::lock_guard lock(mutex_);
    hang_next_ = n;
    hang_for_ = duration;
}

void FakeGateway::SetAnswer(int status, std::string body) {
    std::lock_guard lock(mutex_);
    answer_status_ = status;
    answer_body_ = std::move(body);
}

std::vector<FakeGateway::Request> FakeGateway::Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

size_t FakeGateway::Count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
}

size_t FakeGateway::Accepted() const {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::count_if(requests_.begin(), requests_.end(),
                                             [](const Request& r) { return r.answered >= 200 && r.answered < 300; }));
}

bool FakeGateway::WaitForCount(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

void FakeGateway::AcceptLoop() {
    while (true) {
        boost::system::error_code ec;
        tcp::socket socket(ioc_);
        acceptor_.accept(socket, ec);
        if (stopping_) return;
        if (ec) continue;
        std::lock_guard lock(mutex_);
        connections_.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
    }
}

// One request per connection (answered with Connection: close), which is all the sender needs.
void FakeGateway::Serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> req;
    boost::system::error_code ec;
    bhttp::read(socket, buffer, req, ec);
    if (ec) return;

    Request recorded;
    recorded.method = std::string(req.method_string());
    recorded.target = std::string(req.target());
    for (const auto& field : req) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        recorded.headers[name] = std::string(field.value());
    }
    recorded.body = req.body();
    if (auto url = boost::urls::parse_origin_form(recorded.target)) {
        recorded.path = std::string(url->path());
        for (auto param : url->params()) recorded.query[param.key] = param.value;
    } else {
        recorded.path = recorded.target;
    }

    int status = 0;
    std::string body;
    std::chrono::milliseconds hang{0};
    {
        std::lock_guard lock(mutex_);
        if (hang_next_ > 0) {
            --hang_next_;
            hang = hang_for_;
        } else if (fail_next_ > 0) {
            --fail_next_;
            status = fail_status_;
            body = R"({"errcode":-1,"errmsg":"fake gateway failure"})";
        } else {
            status = answer_status_;
            body = answer_body_;
        }
        recorded.answered = status;  // 0 while hanging: the caller gave up
        requests_.push_back(recorded);
    }
    changed_.notify_all();
    if (hang.count() > 0) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, hang, [this] { return stopping_.load(); });
        status = answer_status_;
        body = answer_body_;
    }

    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), req.version()};
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(false);
    res.body() = std::move(body);
    res.prepare_payload();
    bhttp::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace safeloop::testing
