#include "child_server.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "app/modules.hpp"
#include "core/crypto.hpp"
#include "db/db.hpp"
#include "db/migrate.hpp"

#include <spdlog/spdlog.h>

namespace safeloop::testing {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(60);

std::filesystem::path BinaryPath() {
    // api_tests and safeloop are built into the same folder.
    return std::filesystem::read_symlink("/proc/self/exe").parent_path() / "safeloop";
}

std::string WithDatabase(const std::string& url, const std::string& name) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme + 3);
    auto query = url.find('?', slash == std::string::npos ? 0 : slash);
    std::string base = slash == std::string::npos ? url : url.substr(0, slash);
    std::string params = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + name + params;
}

size_t Discard(char* /*data*/, size_t size, size_t n, void* /*user*/) { return size * n; }

}  // namespace

void ChildServer::MakeDirectory() {
    InitCrypto();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    spdlog::set_level(spdlog::level::warn);
    std::string templ = (std::filesystem::temp_directory_path() / "safeloop-child-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
    std::filesystem::create_directories(std::filesystem::path(dir_) / "data");
}

ChildServer::ChildServer(const ChildServer& first, SameDatabase)
    : backend_(first.backend_), database_url_(first.database_url_) {
    if (backend_ != Backend::kPostgres) throw std::logic_error("only nodes on PostgreSQL share a database");
    MakeDirectory();
}

ChildServer::ChildServer(Backend backend) : backend_(backend) {
    MakeDirectory();
    if (backend == Backend::kPostgres) {
        const std::string base = PostgresBaseUrl();
        if (base.empty()) throw std::runtime_error("SAFELOOP_TEST_PG_URL is not set (scripts/pg-test.sh start)");
        database_name_ = "c_" + HexEncode(RandomBytes(6));
        db::Connect(base)->Exec("CREATE DATABASE " + database_name_);
        database_url_ = WithDatabase(base, database_name_);
    } else {
        database_url_ = "sqlite:" + (std::filesystem::path(dir_) / "data" / "safeloop.db").string();
    }
    auto conn = db::Connect(database_url_);
    db::Migrate(*conn, db::EmbeddedMigrations());
    SystemClock clock;
    app::SeedDemo(*conn, clock);
}

ChildServer::~ChildServer() {
    Kill();
    if (!database_name_.empty()) {
        try {
            db::Connect(PostgresBaseUrl())->Exec("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "could not drop " << database_name_ << ": " << e.what();
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

namespace {

// "http://HOST:PORT" from the server's start-up line "safeloop serving http://HOST:PORT (...)". (No
// std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized under the sanitizer build.)
std::optional<std::string> ServingUrl(std::string_view log) {
    constexpr std::string_view kMarker = "serving http://";
    const size_t at = log.find(kMarker);
    if (at == std::string_view::npos) return std::nullopt;
    size_t end = at + kMarker.size();
    const size_t host_begin = end;
    while (end < log.size() && (std::isdigit(static_cast<unsigned char>(log[end])) || log[end] == '.')) ++end;
    if (end == host_begin || end >= log.size() || log[end] != ':') return std::nullopt;
    const size_t port_begin = ++end;
    while (end < log.size() && std::isdigit(static_cast<unsigned char>(log[end]))) ++end;
    if (end == port_begin) return std::nullopt;
    return "http://" + std::string(log.substr(host_begin, end - host_begin));
}

}  // namespace

bool ChildServer::Start() {
    const std::string log = dir_ + "/server-" + std::to_string(++starts_) + ".log";
    const std::string binary = BinaryPath().string();
    std::vector<std::string> args = {binary, "serve", "--port", "0", "--web", dir_ + "/web"};
    if (backend_ == Backend::kPostgres) {
        args.insert(args.end(), {"--db", database_url_});
    } else {
        args.insert(args.end(), {"--data", dir_ + "/data"});
    }
    if (!files_folder_.empty()) args.insert(args.end(), {"--files", files_folder_});
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    const rlimit open_files{static_cast<rlim_t>(open_file_limit_), static_cast<rlim_t>(open_file_limit_)};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec. The server dies with the test process, so a
        // test that crashes leaves no server behind.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) _exit(126);
        if (open_file_limit_ > 0 && setrlimit(RLIMIT_NOFILE, &open_files) != 0) _exit(125);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    pid_ = pid;
    // The log names the port it bound: "safeloop serving http://127.0.0.1:PORT (...)".
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        if (auto url = ServingUrl(text.str())) {
            base_url_ = *url;
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Kill();
    return false;
}

void ChildServer::Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string ChildServer::Log() const {
    std::string all;
    for (int i = 1; i <= starts_; ++i) {
        std::ifstream in(dir_ + "/server-" + std::to_string(i) + ".log");
        std::stringstream text;
        text << in.rdbuf();
        all += "--- start " + std::to_string(i) + " ---\n" + text.str();
    }
    return all;
}

long RawPost(const std::string& url, const std::string& token, const std::string& body) {
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
}

}  // namespace safeloop::testing
