#pragma once

// API test harness: starts the real server (app::App, the same composition `safeloop serve` uses) in
// this process on a free port, against a fresh SQLite file or a fresh PostgreSQL database, seeded
// with the demo tenant, and talks to it over real HTTP with libcurl.
//
// PostgreSQL comes from SAFELOOP_TEST_PG_URL (scripts/pg-test.sh start prints it). Without it the
// PostgreSQL instantiations fail loudly: they are never skipped.

#include "app/app.hpp"

#include <gtest/gtest.h>
#include <boost/json/value.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace safeloop::testing {

enum class Backend { kSqlite, kPostgres };
std::string BackendName(Backend backend);

struct HttpResult {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-cased names
    boost::json::value Json() const;             // parsed body; fails the test when it is not JSON
    std::string ErrorCode() const;               // error.code, or "" when absent
    std::string Header(const std::string& lower_name) const;
};

class TestClient {
public:
    explicit TestClient(std::string base_url) : base_url_(std::move(base_url)) {}
    HttpResult Request(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& content_type = "application/json",
                       const std::vector<std::string>& extra_headers = {}) const;
    HttpResult Get(const std::string& path) const { return Request("GET", path); }
    HttpResult Post(const std::string& path, const std::string& body) const { return Request("POST", path, body); }
    HttpResult Post(const std::string& path, const boost::json::value& body) const;
    HttpResult Put(const std::string& path, const boost::json::value& body) const;
    HttpResult Patch(const std::string& path, const boost::json::value& body) const;
    HttpResult Delete(const std::string& path) const { return Request("DELETE", path); }

    // Logs in and keeps the token for later requests; returns the token.
    std::string Login(const std::string& login, const std::string& password = "demo-2026");
    void SetToken(std::string token) { token_ = std::move(token); }
    const std::string& token() const { return token_; }
    TestClient As(const std::string& login) const;  // a new client logged in as someone else

private:
    std::string base_url_;
    std::string token_;
};

class TestServer {
public:
    struct Options {
        bool manual_clock = true;
        bool seed_demo = true;
        std::function<void(app::Config&)> configure;  // adjusts the configuration before the app starts
    };
    TestServer(Backend backend, Options options);
    explicit TestServer(Backend backend) : TestServer(backend, Options{}) {}
    ~TestServer();

    const std::string& base_url() const { return base_url_; }
    uint16_t port() const { return port_; }
    app::App& app() { return *app_; }
    const app::Config& config() const { return config_; }
    TestClient Client() const { return TestClient(base_url_); }
    // Id of a demo user by login, read over the API as admin.
    std::string UserId(const std::string& login) const;

private:
    Backend backend_;
    app::Config config_;
    std::filesystem::path dir_;
    std::string database_name_;  // PostgreSQL: the throw-away database
    std::unique_ptr<app::App> app_;
    std::string base_url_;
    uint16_t port_ = 0;
};

// Fixture for tests that run on both databases.
class ApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;
    void TearDown() override { server_.reset(); }
    TestServer& server() { return *server_; }
    TestClient Client() const { return server_->Client(); }
    TestClient As(const std::string& login) const { return server_->Client().As(login); }

    std::unique_ptr<TestServer> server_;
};

std::string PostgresBaseUrl();  // SAFELOOP_TEST_PG_URL or "" (tests then fail)

}  // namespace safeloop::testing

#define SAFELOOP_BOTH_BACKENDS(Suite)                                                                                 \
    INSTANTIATE_TEST_SUITE_P(                                                                                         \
        Db, Suite, ::testing::Values(::safeloop::testing::Backend::kSqlite, ::safeloop::testing::Backend::kPostgres), \
        [](const ::testing::TestParamInfo<::safeloop::testing::Backend>& info) {                                      \
            return ::safeloop::testing::BackendName(info.param);                                                      \
        })
