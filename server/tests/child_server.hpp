#pragma once

// The real `safeloop serve` binary as a child process (beside api_tests in the build folder), for tests
// that must kill the server the hard way (SIGKILL) and start it again on the same data. The database is
// made and seeded with the demo tenant exactly as TestServer does; the data outlives restarts and is
// removed with the object.

#include <string>
#include <utility>
#include <vector>

#include "test_server.hpp"

namespace safeloop::testing {

class ChildServer {
public:
    struct SameDatabase {};

    explicit ChildServer(Backend backend);
    // Another node on `first`'s PostgreSQL database (its own process, port and data folder); the database stays
    // `first`'s, made and removed with it.
    ChildServer(const ChildServer& first, SameDatabase);
    ~ChildServer();
    ChildServer(const ChildServer&) = delete;
    ChildServer& operator=(const ChildServer&) = delete;

    // Starts the binary and waits until /healthz answers; returns false (with the log) when it does not.
    bool Start();
    // From the next Start(): `--files folder` (file bytes in that folder, not the database).
    void UseFilesFolder(std::string folder) { files_folder_ = std::move(folder); }
    // From the next Start(): more `serve` flags, and a soft open-file limit (RLIMIT_NOFILE) for the child.
    void AddArgs(std::vector<std::string> args) { extra_args_ = std::move(args); }
    void LimitOpenFiles(long limit) { open_file_limit_ = limit; }
    int pid() const { return pid_; }
    // The server's own scratch folder (removed with it).
    const std::string& dir() const { return dir_; }
    // SIGKILL: no shutdown, no flush, nothing.
    void Kill();
    bool running() const { return pid_ > 0; }

    const std::string& base_url() const { return base_url_; }
    const std::string& database_url() const { return database_url_; }
    TestClient Client() const { return TestClient(base_url_); }
    std::string Log() const;

private:
    void MakeDirectory();

    Backend backend_;
    std::string dir_;
    std::string database_url_;
    std::string database_name_;
    std::string base_url_;
    std::string files_folder_;
    std::vector<std::string> extra_args_;
    long open_file_limit_ = 0;
    int pid_ = -1;
    int starts_ = 0;
};

// POST without failing the test on a transport error (the server may die mid-request): the status, or 0.
long RawPost(const std::string& url, const std::string& token, const std::string& body);

}  // namespace safeloop::testing
