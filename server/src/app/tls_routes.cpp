#include "app/tls_routes.hpp"

#include "core/crypto.hpp"
#include "http/tls_cert.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace safeloop::app {

namespace {

std::string HostName() {
    char name[256] = {0};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

std::filesystem::path TlsDir(const Config& config) { return config.data_dir / "tls"; }

http::Response NoCa() {
    return http::Response::Error(
        AppError{"not_found",
                 "此服务器未使用本地根证书（未以 --tls-self-signed 启动） / This server has no local CA to install "
                 "(it was not started with --tls-self-signed)",
                 {},
                 {}});
}

std::string HtmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '&') {
            out += "&amp;";
        } else {
            out += c;
        }
    }
    return out;
}

std::string CaPage(const std::string& fingerprint) {
    return fmt::format(R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>安装 SafeLoop 根证书 / Install the SafeLoop CA</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5}}
code{{word-break:break-all;font-size:.9rem;background:#f2f2f2;padding:.2rem}}
a.button{{display:inline-block;padding:.8rem 1.2rem;margin:.3rem 0;background:#1565c0;color:#fff;border-radius:.4rem;
text-decoration:none;min-height:44px;box-sizing:border-box}}
ol{{padding-left:1.3rem}} .en{{color:#555}}
</style></head><body>
<h1>安装 SafeLoop 本地根证书</h1>
<p>手机要通过 HTTPS 安全访问本厂的 SafeLoop（离线使用、拍照需要），请先安装并信任这个根证书。安装前请核对指纹与管理员提供的一致：</p>
<p>SHA-256 指纹：<br><code>{0}</code></p>
<p><a class="button" href="/ca.crt">下载根证书 (safeloop-ca.crt)</a></p>
<h2>Android</h2>
<ol><li>点上面的按钮下载证书。</li>
<li>打开 设置 → 安全 → 加密与凭据 → 安装证书 → CA 证书（不同品牌的菜单名称略有不同，可在设置里搜索“CA 证书”）。</li>
<li>选择下载的 safeloop-ca.crt，确认安装。</li></ol>
<h2>iPhone / iPad</h2>
<ol><li>用 Safari 打开本页，点 <a href="/ca.mobileconfig">下载描述文件</a>（或上面的证书），选择“允许”。</li>
<li>打开 设置 → 已下载描述文件 → 安装。</li>
<li>再打开 设置 → 通用 → 关于本机 → 证书信任设置，为“SafeLoop 本地根证书”启用完全信任。</li></ol>
<hr>
<div class="en" lang="en">
<h1>Install the SafeLoop local CA</h1>
<p>Phones need HTTPS to use SafeLoop on this plant's network (offline work, camera). Install and trust this CA
first, after checking that its fingerprint matches the one your administrator gave you:</p>
<p>SHA-256 fingerprint:<br><code>{0}</code></p>
<p><a href="/ca.crt">Download the CA certificate (safeloop-ca.crt)</a></p>
<h2>Android</h2>
<ol><li>Download the certificate with the button above.</li>
<li>Settings → Security → Encryption &amp; credentials → Install a certificate → CA certificate.</li>
<li>Pick safeloop-ca.crt and confirm.</li></ol>
<h2>iPhone / iPad</h2>
<ol><li>In Safari, open <a href="/ca.mobileconfig">the profile</a> (or the certificate) and allow the download.</li>
<li>Settings → Profile Downloaded → Install.</li>
<li>Settings → General → About → Certificate Trust Settings: turn on full trust for “SafeLoop 本地根证书”.</li></ol>
</div>
</body></html>
)",
                       HtmlEscape(fingerprint));
}

std::string Uuid(std::string_view hex32) {
    return fmt::format("{}-{}-{}-{}-{}", hex32.substr(0, 8), hex32.substr(8, 4), hex32.substr(12, 4),
                       hex32.substr(16, 4), hex32.substr(20, 12));
}

// An unsigned iOS configuration profile holding the CA (com.apple.security.root).
std::string MobileConfig(const std::string& ca_pem) {
    std::string hex;
    for (char c : tls::Sha256Fingerprint(ca_pem)) {
        if (c != ':') hex += c;
    }
    std::string_view h(hex);
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadCertificateFileName</key><string>safeloop-ca.cer</string>
      <key>PayloadContent</key><data>{0}</data>
      <key>PayloadDescription</key><string>SafeLoop 本地根证书 / SafeLoop local CA</string>
      <key>PayloadDisplayName</key><string>SafeLoop 本地根证书</string>
      <key>PayloadIdentifier</key><string>com.safeloop.ca.{1}</string>
      <key>PayloadType</key><string>com.apple.security.root</string>
      <key>PayloadUUID</key><string>{2}</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadDisplayName</key><string>SafeLoop 本地根证书</string>
  <key>PayloadIdentifier</key><string>com.safeloop.profile.{1}</string>
  <key>PayloadRemovalDisallowed</key><false/>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>{3}</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
)",
                       Base64Encode(tls::PemToDer(ca_pem)), h.substr(0, 16), Uuid(h.substr(0, 32)),
                       Uuid(h.substr(32, 32)));
}

http::Response Download(std::string content_type, std::string body, const std::string& filename) {
    auto r = http::Response::Bytes(200, std::move(content_type), std::move(body));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

std::optional<std::string> PhoneCaPem(const Config& config) {
    try {
        if (config.tls_self_signed) {
            auto file = TlsDir(config) / "ca.crt";
            std::error_code ec;
            if (!std::filesystem::exists(file, ec)) return std::nullopt;
            return tls::LastCertificate(tls::ReadFile(file));
        }
        if (config.tls_cert) {
            auto chain = tls::ReadFile(*config.tls_cert);
            auto last = tls::LastCertificate(chain);
            if (tls::PemToDer(last) == tls::PemToDer(chain)) return std::nullopt;
            return last;
        }
    } catch (const std::exception& e) {
        spdlog::warn("tls: cannot read the CA for /ca: {}", e.what());
    }
    return std::nullopt;
}

void ConfigureTls(const Config& config, http::ServerOptions& options) {
    if (!config.Tls()) return;
    tls::Material m;
    if (config.tls_self_signed) {
        auto now = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
        m = tls::EnsureSelfSigned(TlsDir(config), "SafeLoop 本地根证书 " + HostName(), config.tls_names, now);
    } else {
        m = tls::LoadFiles(*config.tls_cert, *config.tls_key);
    }
    options.tls = http::ServerOptions::Tls{std::move(m.chain_pem), std::move(m.key_pem)};
    options.plain_port = config.http_port;
    options.plain_address = config.http_address;
    if (!m.ca_pem.empty()) {
        spdlog::info("tls: phones install the CA from /ca (SHA-256 {})", tls::Sha256Fingerprint(m.ca_pem));
    }
    if (config.http_port) spdlog::info("plain HTTP also on {}:{}", config.http_address, *config.http_port);
}

void RegisterTlsRoutes(api::Router& router, const Config& config) {
    router.Add("GET", "/ca", api::kPublic, [config](api::RequestContext&) {
        auto ca = PhoneCaPem(config);
        if (!ca) return NoCa();
        auto r = http::Response::Bytes(200, "text/html; charset=utf-8", CaPage(tls::Sha256Fingerprint(*ca)));
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
    });
    // DER: what both Android's certificate installer and iOS take from a download.
    router.Add("GET", "/ca.crt", api::kPublic, [config](api::RequestContext&) {
        auto ca = PhoneCaPem(config);
        if (!ca) return NoCa();
        return Download("application/x-x509-ca-cert", tls::PemToDer(*ca), "safeloop-ca.crt");
    });
    router.Add("GET", "/ca.pem", api::kPublic, [config](api::RequestContext&) {
        auto ca = PhoneCaPem(config);
        if (!ca) return NoCa();
        return Download("application/x-pem-file", *ca, "safeloop-ca.pem");
    });
    router.Add("GET", "/ca.mobileconfig", api::kPublic, [config](api::RequestContext&) {
        auto ca = PhoneCaPem(config);
        if (!ca) return NoCa();
        return Download("application/x-apple-aspen-config", MobileConfig(*ca), "safeloop-ca.mobileconfig");
    });
}

}  // namespace safeloop::app
