#include "test_server.hpp"

#include "app/modules.hpp"
#include "core/crypto.hpp"
#include "db/db.hpp"
#include "db/migrate.hpp"
#include "modules/files/file_media.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <mutex>

namespace safeloop::testing {

namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
    }
    return size * n;
}

std::string ReplaceDatabase(const std::string& url, const std::string& name) {
    // postgresql://user@host:port/dbname?params -> same with another dbname
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme + 3);
    auto query = url.find('?', slash == std::string::npos ? 0 : slash);
    std::string base = slash == std::string::npos ? url : url.substr(0, slash);
    std::string params = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + name + params;
}

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        InitCrypto();
        files::InitMedia("api_tests");
        spdlog::set_level(spdlog::level::warn);
    });
}

}  // namespace

std::string BackendName(Backend backend) { return backend == Backend::kSqlite ? "SQLite" : "PostgreSQL"; }

std::string PostgresBaseUrl() {
    const char* url = std::getenv("SAFELOOP_TEST_PG_URL");  // NOLINT(concurrency-mt-unsafe): test setup only
    return url ? url : "";
}

boost::json::value HttpResult::Json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    EXPECT_FALSE(ec) << "response is not JSON: " << body.substr(0, 300);
    return v;
}

std::string HttpResult::ErrorCode() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return "";
    auto* err = v.as_object().if_contains("error");
    if (!err || !err->is_object()) return "";
    auto* code = err->as_object().if_contains("code");
    return code && code->is_string() ? std::string(code->as_string()) : "";
}

std::string HttpResult::Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
}

HttpResult TestClient::Request(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& content_type, const std::vector<std::string>& extra_headers) const {
    HttpResult result;
    CURL* curl = curl_easy_init();
    std::string url = base_url_ + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_slist* headers = nullptr;
    if (!token_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        if (!content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    for (const auto& h : extra_headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    CURLcode rc = curl_easy_perform(curl);
    EXPECT_EQ(rc, CURLE_OK) << method << " " << path << ": " << curl_easy_strerror(rc);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return result;
}

HttpResult TestClient::Post(const std::string& path, const boost::json::value& body) const {
    return Request("POST", path, boost::json::serialize(body));
}
HttpResult TestClient::Put(const std::string& path, const boost::json::value& body) const {
    return Request("PUT", path, boost::json::serialize(body));
}
HttpResult TestClient::Patch(const std::string& path, const boost::json::value& body) const {
    return Request("PATCH", path, boost::json::serialize(body));
}

std::string TestClient::Login(const std::string& login, const std::string& password) {
    boost::json::object body{{"login", login}, {"password", password}};
    token_.clear();
    auto r = Post("/api/v1/auth/login", boost::json::value(body));
    EXPECT_EQ(r.status, 200) << "login as " << login << ": " << r.body;
    if (r.status != 200) return "";
    token_ = std::string(r.Json().at("token").as_string());
    return token_;
}

TestClient TestClient::As(const std::string& login) const {
    TestClient c(base_url_);
    c.Login(login);
    return c;
}

TestServer::TestServer(Backend backend, Options options) : backend_(backend) {
    GlobalInit();
    std::string templ = (std::filesystem::temp_directory_path() / "safeloop-test-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
    config_.command = "serve";
    config_.data_dir = dir_ / "data";
    config_.port = 0;
    config_.manual_clock = options.manual_clock;
    config_.web_dir = dir_ / "web";  // empty: API tests do not need the web app
    if (options.configure) options.configure(config_);
    if (backend == Backend::kPostgres) {
        std::string base = PostgresBaseUrl();
        if (base.empty()) {
            throw std::runtime_error(
                "SAFELOOP_TEST_PG_URL is not set: run `scripts/pg-test.sh start` and export the URL it prints "
                "(make test does this)");
        }
        database_name_ = "t_" + HexEncode(RandomBytes(6));
        auto admin = db::Connect(base);
        admin->Exec("CREATE DATABASE " + database_name_);
        config_.db_url = ReplaceDatabase(base, database_name_);
    } else {
        std::filesystem::create_directories(config_.data_dir);
    }
    if (options.seed_demo) {
        auto conn = db::Connect(config_.DatabaseUrl());
        db::Migrate(*conn, db::EmbeddedMigrations());
        SystemClock clock;
        app::SeedDemo(*conn, clock);
    }
    app_ = std::make_unique<app::App>(config_);
    port_ = app_->Start();
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
}

TestServer::~TestServer() {
    app_.reset();
    if (!database_name_.empty()) {
        try {
            auto admin = db::Connect(PostgresBaseUrl());
            admin->Exec("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "could not drop test database " << database_name_ << ": " << e.what();
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string TestServer::UserId(const std::string& login) const {
    auto admin = Client().As("admin");
    auto r = admin.Get("/api/v1/users?login=" + login);
    EXPECT_EQ(r.status, 200) << r.body;
    auto items = r.Json().at("items").as_array();
    EXPECT_EQ(items.size(), 1u) << "user " << login;
    if (items.empty()) return "";
    return std::string(items[0].at("id").as_string());
}

void ApiTest::SetUp() { server_ = std::make_unique<TestServer>(GetParam()); }

}  // namespace safeloop::testing

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
