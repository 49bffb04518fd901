#include "app/web_assets.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

namespace safeloop::app {

namespace {

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// True when the decoded path has no "..", backslash or NUL: it cannot leave the web root.
bool SafeRelative(std::string_view path) {
    if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) return false;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        if (path.substr(start, slash - start) == "..") return false;
        start = slash + 1;
    }
    return true;
}

http::Response FileResponse(const std::filesystem::path& path, std::string body, bool immutable) {
    auto r = http::Response::Bytes(200, std::string(ContentTypeFor(path)), std::move(body));
    r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
}

}  // namespace

std::string_view ContentTypeFor(const std::filesystem::path& path) {
    auto ext = path.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".webmanifest") return "application/manifest+json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".wasm") return "application/wasm";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".csv") return "text/csv; charset=utf-8";
    if (ext == ".crt" || ext == ".cer") return "application/x-x509-ca-cert";
    return "application/octet-stream";
}

bool IsMobileUserAgent(std::string_view user_agent) {
    static constexpr std::array<std::string_view, 6> kMarkers = {"Mobile", "Android",   "iPhone",
                                                                 "iPad",   "HarmonyOS", "MicroMessenger"};
    return std::ranges::any_of(
        kMarkers, [&](std::string_view marker) { return user_agent.find(marker) != std::string_view::npos; });
}

api::AssetHandler MakeWebAssets(std::filesystem::path root) {
    return [root = std::move(root)](const http::Request& req) -> std::optional<http::Response> {
        const std::string& path = req.path;
        if (path == "/") {
            bool mobile = IsMobileUserAgent(req.Header("user-agent").value_or(""));
            http::Response r = http::Response::Bytes(302, "", "");
            r.headers.emplace_back("Location", mobile ? "/m/" : "/console/");
            return r;
        }
        if (path == "/m" || path == "/console") {
            http::Response r = http::Response::Bytes(301, "", "");
            r.headers.emplace_back("Location", path + "/");
            return r;
        }
        if (!SafeRelative(path)) return std::nullopt;
        std::filesystem::path file = root / path.substr(1);
        if (auto body = ReadFile(file)) {
            bool immutable = path.rfind("/assets/", 0) == 0;
            return FileResponse(file, std::move(*body), immutable);
        }
        // Client-side routes of the two apps fall back to their entry page.
        const char* entry = nullptr;
        if (path.rfind("/m/", 0) == 0) entry = "mobile.html";
        if (path.rfind("/console/", 0) == 0) entry = "console.html";
        if (entry == nullptr) return std::nullopt;
        if (auto body = ReadFile(root / entry)) return FileResponse(root / entry, std::move(*body), false);
        auto r = http::Response::Bytes(
            503, "text/plain; charset=utf-8",
            "网页端尚未构建：请运行 make build / The web app is not built yet: run `make build`.\n");
        return r;
    };
}

}  // namespace safeloop::app
