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

// True when no decoded segment is "." or "..", or holds a slash (an escaped "%2F"), a backslash or NUL: the
// path names a file under the web root, and the same one a browser means.
bool SafeRelative(const std::vector<std::string>& segments) {
    return std::ranges::none_of(segments, [](const std::string& segment) {
        return segment == "." || segment == ".." ||
               segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos;
    });
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

namespace {

std::optional<http::Response> ServeAsset(const std::filesystem::path& root, const http::Request& req) {
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
    if (!SafeRelative(req.segments)) return std::nullopt;
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
    auto r =
        http::Response::Bytes(503, "text/plain; charset=utf-8",
                              "网页端尚未构建：请运行 make build / The web app is not built yet: run `make build`.\n");
    return r;
}

}  // namespace

api::AssetHandler MakeWebAssets(std::filesystem::path root) {
    return [root = std::move(root)](const http::Request& req) -> std::optional<http::Response> {
        auto response = ServeAsset(root, req);
        // Pages, scripts and styles alike: a script or worker takes the policy of the file it was loaded from.
        if (response) response->headers.emplace_back("Content-Security-Policy", http::kAppContentSecurityPolicy);
        return response;
    };
}

}  // namespace safeloop::app
