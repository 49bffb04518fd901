#pragma once

// Command-line configuration. The only place that reads the environment (none yet) or arguments.

#include "core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace safeloop::app {

struct Config {
    std::string command;                  // serve, migrate, demo, user, audit, version, help
    std::vector<std::string> positional;  // e.g. "add" in `user add`
    std::filesystem::path data_dir = "data";
    std::optional<std::string> db_url;  // postgresql://...; empty = SQLite in data_dir
    // --files: the folder of the file store. Default: data_dir/files with SQLite; with PostgreSQL the database
    // itself (FileFolder() says which).
    std::optional<std::filesystem::path> files_dir;
    std::string address = "127.0.0.1";
    uint16_t port = 8080;
    bool manual_clock = false;
    std::optional<std::filesystem::path> web_dir;
    size_t db_pool_size = 0;  // 0 = default for the database
    size_t io_threads = 2;
    size_t max_upload_mb = 64;
    size_t max_json_kb = 1024;
    size_t max_connections = 0;  // --max-connections; 0 = derived from the open-file limit
    int db_wait_s = 5;           // --db-wait-s: a request waits this long for a database connection, then 503
    std::string log_level = "info";
    // HTTPS (docs/operations.md "HTTPS on the plant LAN"): with --tls-cert/--tls-key or --tls-self-signed,
    // --port serves HTTPS and --http-port (off by default) adds plain HTTP on --http-address.
    std::optional<std::filesystem::path> tls_cert;
    std::optional<std::filesystem::path> tls_key;
    bool tls_self_signed = false;
    std::vector<std::string> tls_names;  // extra names/addresses for the self-signed server certificate
    std::optional<uint16_t> http_port;
    std::string http_address = "127.0.0.1";
    std::map<std::string, std::string> options;  // command-specific flags (--login, --password, ...)

    // The database URL to use: the explicit --db, else sqlite:<data_dir>/safeloop.db.
    std::string DatabaseUrl() const;
    bool UsesPostgres() const;
    // Where file bytes are kept on disk; nullopt: in the database (PostgreSQL without --files).
    std::optional<std::filesystem::path> FileFolder() const;
    bool Tls() const { return tls_self_signed || tls_cert.has_value(); }
};

// Parses argv; an AppError describes a usage mistake.
Result<Config> ParseArgs(int argc, char** argv);
std::string UsageText();

}  // namespace safeloop::app
