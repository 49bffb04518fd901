#include "app/config.hpp"

#include "db/db.hpp"

#include <charconv>
#include <set>

namespace safeloop::app {

std::string Config::DatabaseUrl() const {
    if (db_url) return *db_url;
    return "sqlite:" + (data_dir / "safeloop.db").string();
}

bool Config::UsesPostgres() const { return db_url && db::IsPostgresUrl(*db_url); }

std::optional<std::filesystem::path> Config::FileFolder() const {
    if (files_dir) return files_dir;
    if (!UsesPostgres()) return data_dir / "files";
    return std::nullopt;
}

std::string UsageText() {
    return R"(safeloop — 安全闭环 safety-production management server

Usage:
  safeloop serve   [--data DIR] [--port N] [--db URL] [--files DIR] [--address A] [--web DIR] [--clock manual]
                   [--pool N] [--io-threads N] [--max-upload-mb N] [--log-level L]
                   [--max-connections N] [--db-wait-s N]
                   [--tls-cert FILE --tls-key FILE | --tls-self-signed [--tls-names a,b]]
                   [--http-port N [--http-address A]]
  safeloop migrate [--data DIR] [--db URL]
  safeloop demo    --data DIR [--db URL]          create the demo tenant (refuses a non-empty DIR)
  safeloop user add --login L --name N --password P [--roles r1,r2] [--mobile M] [--tenant CODE]
  safeloop user reset-password --login L --password P
  safeloop user disable --login L | safeloop user enable --login L
  safeloop audit verify [--data DIR] [--db URL]
  safeloop version

--data DIR   SQLite database and file store (default ./data)
--db URL     postgresql://user@host:port/db — use PostgreSQL instead of DIR's SQLite
--files DIR  keep photos, videos and attachments in DIR (default: DIR/files of --data with SQLite, inside the
             database with PostgreSQL; several nodes on one database must all mount the same DIR)
--clock manual  tests only: the clock moves only through POST /api/v1/test/clock
--max-connections N  connections open at once (default: from the open-file limit, ulimit -n); at the cap the
                     longest idle connection is closed to make room
--db-wait-s N  a request waits at most N seconds for a database connection, then answers 503 (default 5)

HTTPS (phones need it for offline use and the camera):
--tls-cert FILE --tls-key FILE  serve HTTPS on --port with this PEM certificate (chain allowed) and key
--tls-self-signed  serve HTTPS on --port with a local CA and certificate kept in DIR/tls/ (made on first
                   start, renewed when the host's names/addresses change); phones install the CA from /ca
--tls-names a,b    extra host names or addresses for the self-signed certificate
--http-port N      with HTTPS on: also serve plain HTTP on port N (default: no plain HTTP)
--http-address A   address of that plain listener (default 127.0.0.1; 0.0.0.0 lets phones fetch /ca)
Without a --tls option, --port serves plain HTTP as before.
)";
}

namespace {

bool ParseNumber(const std::string& text, size_t& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

AppError Usage(const std::string& message) { return AppError{"usage", message, {}, {}}; }

}  // namespace

Result<Config> ParseArgs(int argc, char** argv) {
    Config c;
    if (argc < 2) {
        c.command = "help";
        return c;
    }
    c.command = argv[1];
    static const std::set<std::string> kCommands = {"serve", "migrate", "demo", "user", "audit", "version", "help"};
    if (c.command == "--help" || c.command == "-h") c.command = "help";
    if (!kCommands.contains(c.command)) return Usage("unknown command: " + c.command);
    static const std::set<std::string> kValueOptions = {
        "--data",      "--port",         "--db",         "--address",         "--web",
        "--clock",     "--pool",         "--io-threads", "--max-upload-mb",   "--max-json-kb",
        "--log-level", "--login",        "--name",       "--password",        "--roles",
        "--mobile",    "--tenant",       "--tls-cert",   "--tls-key",         "--tls-names",
        "--http-port", "--http-address", "--files",      "--max-connections", "--db-wait-s"};
    static const std::set<std::string> kFlags = {"--tls-self-signed"};
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            c.command = "help";  // `safeloop serve --help` prints the usage
            return c;
        }
        if (arg.rfind("--", 0) != 0) {
            c.positional.push_back(arg);
            continue;
        }
        std::string value;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (kValueOptions.contains(arg)) {
            if (i + 1 >= argc) return Usage(arg + " needs a value");
            value = argv[++i];
        }
        if (kFlags.contains(arg)) {
            if (arg.size() != std::string(argv[i]).size()) return Usage(arg + " takes no value");
            c.tls_self_signed = true;
            continue;
        }
        if (!kValueOptions.contains(arg)) return Usage("unknown option: " + arg);
        size_t number = 0;
        if (arg == "--data") {
            c.data_dir = value;
        } else if (arg == "--db") {
            if (!db::IsPostgresUrl(value)) return Usage("--db takes a postgresql:// URL");
            c.db_url = value;
        } else if (arg == "--files") {
            if (value.empty()) return Usage("--files takes a folder");
            c.files_dir = value;
        } else if (arg == "--port") {
            if (!ParseNumber(value, number) || number > 65535) return Usage("--port takes a number 0-65535");
            c.port = static_cast<uint16_t>(number);
        } else if (arg == "--address") {
            c.address = value;
        } else if (arg == "--web") {
            c.web_dir = value;
        } else if (arg == "--clock") {
            if (value != "manual") return Usage("--clock takes only the value 'manual'");
            c.manual_clock = true;
        } else if (arg == "--pool" || arg == "--io-threads" || arg == "--max-upload-mb" || arg == "--max-json-kb") {
            if (!ParseNumber(value, number) || number == 0 || number > 100000) return Usage(arg + " takes a number");
            if (arg == "--pool") c.db_pool_size = number;
            if (arg == "--io-threads") c.io_threads = number;
            if (arg == "--max-upload-mb") c.max_upload_mb = number;
            if (arg == "--max-json-kb") c.max_json_kb = number;
        } else if (arg == "--max-connections") {
            if (!ParseNumber(value, number) || number < 16 || number > 10'000'000) {
                return Usage("--max-connections takes a number from 16");
            }
            c.max_connections = number;
        } else if (arg == "--db-wait-s") {
            if (!ParseNumber(value, number) || number == 0 || number > 3600) {
                return Usage("--db-wait-s takes a number of seconds 1-3600");
            }
            c.db_wait_s = static_cast<int>(number);
        } else if (arg == "--tls-cert") {
            c.tls_cert = value;
        } else if (arg == "--tls-key") {
            c.tls_key = value;
        } else if (arg == "--tls-names") {
            for (size_t start = 0; start <= value.size();) {
                size_t comma = value.find(',', start);
                std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!name.empty()) c.tls_names.push_back(name);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (arg == "--http-port") {
            if (!ParseNumber(value, number) || number > 65535) return Usage("--http-port takes a number 0-65535");
            c.http_port = static_cast<uint16_t>(number);
        } else if (arg == "--http-address") {
            c.http_address = value;
        } else if (arg == "--log-level") {
            c.log_level = value;
        } else {
            c.options[arg.substr(2)] = value;
        }
    }
    if (c.tls_cert.has_value() != c.tls_key.has_value()) return Usage("--tls-cert and --tls-key go together");
    if (c.tls_cert && c.tls_self_signed) return Usage("--tls-self-signed excludes --tls-cert/--tls-key");
    if (!c.tls_names.empty() && !c.tls_self_signed) return Usage("--tls-names needs --tls-self-signed");
    if (c.http_port && !c.Tls()) return Usage("--http-port needs HTTPS (--tls-cert or --tls-self-signed)");
    return c;
}

}  // namespace safeloop::app
