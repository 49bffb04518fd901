// HTTPS on the plant LAN: --tls-self-signed (local CA kept under DATA/tls, /ca page for phones) and
// --tls-cert/--tls-key, against the real server over real TLS with libcurl.

#include "test_server.hpp"

#include "app/modules.hpp"
#include "core/crypto.hpp"
#include "db/db.hpp"
#include "db/migrate.hpp"
#include "http/tls_cert.hpp"
#include "modules/auth/auth_store.hpp"
#include "modules/files/file_media.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <mutex>

namespace safeloop::testing {
namespace {

struct Fetched {
    CURLcode rc = CURLE_OK;
    long status = 0;
    std::string body;
    std::string content_type;
};

struct FetchOptions {
    std::string ca_file;  // CURLOPT_CAINFO; empty = the system's store
    std::string method = "GET";
    std::string body;
    std::vector<std::string> headers;
    std::string stop_at;  // stream: stop reading once the body contains this
    long ssl_version = CURL_SSLVERSION_DEFAULT;
    std::string resolve;  // CURLOPT_RESOLVE entry
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
    auto* pair = static_cast<std::pair<std::string*, const std::string*>*>(user);
    pair->first->append(data, size * n);
    if (!pair->second->empty() && pair->first->find(*pair->second) != std::string::npos) return 0;
    return size * n;
}

Fetched Fetch(const std::string& url, const FetchOptions& o = {}) {
    Fetched f;
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, o.method.c_str());
    if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, o.ssl_version);
    curl_slist* headers = nullptr;
    for (const auto& h : o.headers) headers = curl_slist_append(headers, h.c_str());
    if (!o.body.empty()) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, o.body.c_str());
        headers = curl_slist_append(headers, "Content-Type: application/json");
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_slist* resolve = nullptr;
    if (!o.resolve.empty()) {
        resolve = curl_slist_append(resolve, o.resolve.c_str());
        curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    }
    std::pair<std::string*, const std::string*> sink{&f.body, &o.stop_at};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    f.rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.status);
    char* ct = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
    if (ct != nullptr) f.content_type = ct;
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(curl);
    return f;
}

uint16_t FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// Sends raw bytes to 127.0.0.1:port and reads until the server closes (or `wait_s` pass). `closed`
// tells whether the server closed the connection (rather than the read timing out).
std::string RawExchange(uint16_t port, const std::string& bytes, bool& closed, long wait_s = 5) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{wait_s, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
    std::string out;
    closed = false;
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            out.append(buf, static_cast<size_t>(n));
            continue;
        }
        closed = n == 0 || errno == ECONNRESET;
        break;
    }
    ::close(fd);
    return out;
}

void WriteText(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string LoginBody() { return R"({"login":"admin","password":"demo-2026"})"; }

std::string TokenOf(const std::string& body) {
    auto at = body.find("\"token\":\"");
    if (at == std::string::npos) return "";
    at += 9;
    return body.substr(at, body.find('"', at) - at);
}

// A server started the way `safeloop serve --tls-…` starts, on a temp data dir with the demo tenant.
class TlsServer {
public:
    explicit TlsServer(const std::filesystem::path& data, const std::function<void(app::Config&)>& tweak) {
        static std::once_flag once;
        std::call_once(once, [] {
            curl_global_init(CURL_GLOBAL_DEFAULT);
            InitCrypto();
            files::InitMedia("api_tests");
            spdlog::set_level(spdlog::level::warn);
        });
        config_.command = "serve";
        config_.data_dir = data;
        config_.port = 0;
        config_.web_dir = data.parent_path() / "web";
        tweak(config_);
        std::filesystem::create_directories(data);
        auto conn = db::Connect(config_.DatabaseUrl());
        db::Migrate(*conn, db::EmbeddedMigrations());
        if (auth::AuthStore::Tenants(*conn).empty()) {
            SystemClock clock;
            app::SeedDemo(*conn, clock);
        }
        app_ = std::make_unique<app::App>(config_);
        port_ = app_->Start();
    }
    std::string https(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }
    std::string http(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(config_.http_port.value_or(0)) + path;
    }
    uint16_t port() const { return port_; }

private:
    app::Config config_;
    std::unique_ptr<app::App> app_;
    uint16_t port_ = 0;
};

class TlsApi : public ::testing::Test {
protected:
    void SetUp() override {
        std::string templ = (std::filesystem::temp_directory_path() / "safeloop-tls-XXXXXX").string();
        ASSERT_NE(mkdtemp(templ.data()), nullptr);
        dir_ = templ;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::unique_ptr<TlsServer> SelfSigned(uint16_t http_port) {
        return std::make_unique<TlsServer>(dir_ / "data", [http_port](app::Config& c) {
            c.tls_self_signed = true;
            c.tls_names = {"safeloop.test"};
            c.http_port = http_port;
        });
    }
    // Downloads /ca.crt over plain HTTP, stores it as PEM for CURLOPT_CAINFO and returns the PEM.
    std::string DownloadCa(const TlsServer& s, const std::filesystem::path& to) {
        auto crt = Fetch(s.http("/ca.crt"));
        EXPECT_EQ(crt.rc, CURLE_OK);
        EXPECT_EQ(crt.status, 200);
        EXPECT_EQ(crt.content_type, "application/x-x509-ca-cert");
        std::string pem = tls::DerToPem(crt.body);
        WriteText(to, pem);
        return pem;
    }

    std::filesystem::path dir_;
};

TEST_F(TlsApi, SelfSignedServesHttpsToClientsThatInstalledTheCa) {
    uint16_t http_port = FreePort();
    auto s = SelfSigned(http_port);
    auto ca_file = dir_ / "ca.pem";

    // A phone's first step: the CA page over plain HTTP.
    auto page = Fetch(s->http("/ca"));
    ASSERT_EQ(page.rc, CURLE_OK);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.content_type.find("text/html"), std::string::npos);
    EXPECT_NE(page.body.find("加密与凭据"), std::string::npos);
    EXPECT_NE(page.body.find("证书信任设置"), std::string::npos);
    EXPECT_NE(page.body.find("Certificate Trust Settings"), std::string::npos);
    std::string ca_pem = DownloadCa(*s, ca_file);
    EXPECT_NE(page.body.find(tls::Sha256Fingerprint(ca_pem)), std::string::npos);
    EXPECT_EQ(ca_pem, tls::ReadFile(dir_ / "data" / "tls" / "ca.crt"));
    auto profile = Fetch(s->http("/ca.mobileconfig"));
    EXPECT_EQ(profile.status, 200);
    EXPECT_NE(profile.body.find("com.apple.security.root"), std::string::npos);

    // HTTPS with the downloaded CA: health and a login.
    auto health = Fetch(s->https("/healthz"), {.ca_file = ca_file});
    ASSERT_EQ(health.rc, CURLE_OK) << curl_easy_strerror(health.rc);
    EXPECT_EQ(health.status, 200);
    auto login = Fetch(s->https("/api/v1/auth/login"), {.ca_file = ca_file, .method = "POST", .body = LoginBody()});
    ASSERT_EQ(login.rc, CURLE_OK);
    EXPECT_EQ(login.status, 200) << login.body;
    std::string token = TokenOf(login.body);
    ASSERT_FALSE(token.empty());

    // By host name (a SAN), as a phone would open it.
    std::string port = std::to_string(s->port());
    auto by_name = Fetch("https://safeloop.test:" + port + "/healthz",
                         {.ca_file = ca_file, .resolve = "safeloop.test:" + port + ":127.0.0.1"});
    EXPECT_EQ(by_name.rc, CURLE_OK) << curl_easy_strerror(by_name.rc);
    auto wrong_name = Fetch("https://not-in-cert.test:" + port + "/healthz",
                            {.ca_file = ca_file, .resolve = "not-in-cert.test:" + port + ":127.0.0.1"});
    EXPECT_NE(wrong_name.rc, CURLE_OK);

    // Without the CA the certificate is not trusted (the system's store, then an unrelated CA).
    EXPECT_NE(Fetch(s->https("/healthz")).rc, CURLE_OK);
    auto other = tls::MakeCa("unrelated", std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
    WriteText(dir_ / "other.pem", other.cert_pem);
    EXPECT_EQ(Fetch(s->https("/healthz"), {.ca_file = (dir_ / "other.pem").string()}).rc,
              CURLE_PEER_FAILED_VERIFICATION);

    // TLS 1.1 is refused.
    auto old = Fetch(s->https("/healthz"), {.ca_file = ca_file,
                                            .ssl_version = static_cast<long>(CURL_SSLVERSION_TLSv1_1) |
                                                           static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_1)});
    EXPECT_NE(old.rc, CURLE_OK);

    // Server-Sent Events over TLS.
    auto sse = Fetch(s->https("/api/v1/notifications/stream"),
                     {.ca_file = ca_file,
                      .headers = {"Authorization: Bearer " + token, "Accept: text/event-stream"},
                      .stop_at = "event: ready"});
    EXPECT_EQ(sse.status, 200);
    EXPECT_NE(sse.body.find("event: ready"), std::string::npos) << sse.body;

    // The plain listener serves the API too (localhost, nginx).
    EXPECT_EQ(Fetch(s->http("/healthz")).status, 200);
}

TEST_F(TlsApi, PlainHttpAndGarbageOnTheTlsPortAreClosedCleanly) {
    auto s = SelfSigned(FreePort());
    auto ca_file = dir_ / "ca.pem";
    DownloadCa(*s, ca_file);

    bool closed = false;
    auto answer = RawExchange(s->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("https://"), std::string::npos);

    // A TLS record header followed by nonsense: the handshake fails, the connection is closed.
    RawExchange(s->port(), std::string("\x16\x03\x01\x00\x10", 5) + std::string(16, 'x'), closed);
    EXPECT_TRUE(closed);
    RawExchange(s->port(), std::string(3000, '\x16'), closed);
    EXPECT_TRUE(closed);

    // curl speaking plain HTTP to the HTTPS port gets the 400, and the server still serves.
    auto plain = Fetch("http://127.0.0.1:" + std::to_string(s->port()) + "/healthz");
    EXPECT_EQ(plain.status, 400);
    auto health = Fetch(s->https("/healthz"), {.ca_file = ca_file});
    EXPECT_EQ(health.rc, CURLE_OK);
    EXPECT_EQ(health.status, 200);
}

TEST_F(TlsApi, AHandshakeThatStallsIsClosedAfterTheHandshakeTimeout) {
    auto s = SelfSigned(FreePort());
    auto start = std::chrono::steady_clock::now();
    bool closed = false;
    // The start of a TLS record, then nothing: the server gives up after 10 s rather than waiting forever.
    RawExchange(s->port(), std::string("\x16\x03\x01", 3), closed, 20);
    auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(closed);
    EXPECT_GE(waited, std::chrono::seconds(9));
    EXPECT_LT(waited, std::chrono::seconds(15));
}

TEST_F(TlsApi, RestartReusesTheLocalCaAndServerCertificate) {
    std::string first_ca;
    std::string first_server;
    {
        auto s = SelfSigned(FreePort());
        first_ca = DownloadCa(*s, dir_ / "ca.pem");
        first_server = tls::ReadFile(dir_ / "data" / "tls" / "server.crt");
    }
    auto s = SelfSigned(FreePort());
    auto again = DownloadCa(*s, dir_ / "ca2.pem");
    EXPECT_EQ(tls::Sha256Fingerprint(again), tls::Sha256Fingerprint(first_ca));
    EXPECT_EQ(tls::ReadFile(dir_ / "data" / "tls" / "server.crt"), first_server);
    auto health = Fetch(s->https("/healthz"), {.ca_file = (dir_ / "ca.pem").string()});
    EXPECT_EQ(health.rc, CURLE_OK);
    EXPECT_EQ(health.status, 200);
}

TEST_F(TlsApi, ExplicitCertificateAndKeyFiles) {
    auto now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    auto ca = tls::MakeCa("Plant IT root", now);
    tls::Hosts hosts;
    tls::AddName(hosts, "localhost");
    tls::AddName(hosts, "127.0.0.1");
    auto leaf = tls::MakeServerCert(ca, hosts, now);
    WriteText(dir_ / "chain.pem", leaf.cert_pem + ca.cert_pem);
    WriteText(dir_ / "leaf.pem", leaf.cert_pem);
    WriteText(dir_ / "key.pem", leaf.key_pem);
    WriteText(dir_ / "ca.pem", ca.cert_pem);
    {
        TlsServer s(dir_ / "data", [&](app::Config& c) {
            c.tls_cert = dir_ / "chain.pem";
            c.tls_key = dir_ / "key.pem";
        });
        auto health = Fetch(s.https("/healthz"), {.ca_file = (dir_ / "ca.pem").string()});
        ASSERT_EQ(health.rc, CURLE_OK) << curl_easy_strerror(health.rc);
        EXPECT_EQ(health.status, 200);
        EXPECT_NE(Fetch(s.https("/healthz")).rc, CURLE_OK);
        // With a chain, /ca offers its root.
        auto crt = Fetch(s.https("/ca.crt"), {.ca_file = (dir_ / "ca.pem").string()});
        EXPECT_EQ(crt.status, 200);
        EXPECT_EQ(tls::DerToPem(crt.body), ca.cert_pem);
        EXPECT_FALSE(std::filesystem::exists(dir_ / "data" / "tls"));
    }
    TlsServer s(dir_ / "data", [&](app::Config& c) {
        c.tls_cert = dir_ / "leaf.pem";
        c.tls_key = dir_ / "key.pem";
    });
    EXPECT_EQ(Fetch(s.https("/healthz"), {.ca_file = (dir_ / "ca.pem").string()}).status, 200);
    EXPECT_EQ(Fetch(s.https("/ca"), {.ca_file = (dir_ / "ca.pem").string()}).status, 404);

    // A key that does not belong to the certificate is refused at start.
    auto stranger = tls::MakeCa("stranger", now);
    WriteText(dir_ / "wrong-key.pem", stranger.key_pem);
    EXPECT_THROW(TlsServer(dir_ / "data2",
                           [&](app::Config& c) {
                               c.tls_cert = dir_ / "leaf.pem";
                               c.tls_key = dir_ / "wrong-key.pem";
                           }),
                 std::exception);
}

TEST(TlsPlainApi, WithoutTlsThereIsNoCaPage) {
    TestServer server(Backend::kSqlite);
    auto r = server.Client().Get("/ca");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(server.Client().Get("/ca.crt").status, 404);
}

}  // namespace
}  // namespace safeloop::testing
