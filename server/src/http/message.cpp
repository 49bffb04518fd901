#include "http/message.hpp"

#include "core/error.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace safeloop::http {

namespace urls = boost::urls;

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) return std::string_view(value);
    }
    return std::nullopt;
}

const std::string& Request::Param(const std::string& name) const {
    static const std::string kEmpty;
    auto it = path_params.find(name);
    return it == path_params.end() ? kEmpty : it->second;
}

void EventStream::Push(std::string chunk) {
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        chunks_.push_back(std::move(chunk));
        notify = notifier_;
    }
    if (notify) notify();
}

void EventStream::Close() {
    std::function<void()> notify;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        notify = notifier_;
    }
    if (notify) notify();
}

bool EventStream::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::vector<std::string> EventStream::Take(bool& closed) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out(std::make_move_iterator(chunks_.begin()), std::make_move_iterator(chunks_.end()));
    chunks_.clear();
    closed = closed_;
    return out;
}

void EventStream::SetNotifier(std::function<void()> notifier) {
    std::lock_guard lock(mutex_);
    notifier_ = std::move(notifier);
}

Response Response::Json(int status, const boost::json::value& value) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(value);
    return r;
}

Response Response::Error(const AppError& error) {
    boost::json::object e;
    e["code"] = error.code;
    e["message"] = error.message;
    if (!error.fields.empty()) {
        boost::json::object fields;
        for (const auto& [k, v] : error.fields) fields[k] = v;
        e["fields"] = std::move(fields);
    }
    for (const auto& [k, v] : error.extra) e[k] = v;
    boost::json::object root;
    root["error"] = std::move(e);
    return Json(StatusForErrorCode(error.code), root);
}

Response Response::Bytes(int status, std::string content_type, std::string body) {
    Response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

const std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' blob: data:; media-src 'self' blob: data:; font-src 'self' data:; "
    "connect-src 'self' blob: data:; worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

namespace {

// A JSON answer loads nothing and may not be framed.
constexpr std::string_view kDataContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
// How long a client should wait before trying again after a 503 that did not say.
constexpr std::string_view kDefaultRetryAfterSeconds = "2";

bool HasHeader(const Response& response, std::string_view name) {
    return std::ranges::any_of(response.headers, [name](const auto& header) {
        return header.first.size() == name.size() &&
               std::equal(name.begin(), name.end(), header.first.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
               });
    });
}

void SetDefault(Response& response, std::string_view name, std::string_view value) {
    if (!HasHeader(response, name)) response.headers.emplace_back(std::string(name), std::string(value));
}

}  // namespace

void ApplyDefaultHeaders(Response& response, std::string_view path) {
    SetDefault(response, "X-Content-Type-Options", "nosniff");
    SetDefault(response, "Referrer-Policy", "same-origin");
    const std::string_view type = response.content_type;
    if (type.starts_with("text/html")) {
        SetDefault(response, "Content-Security-Policy", kAppContentSecurityPolicy);
        SetDefault(response, "X-Frame-Options", "DENY");  // browsers older than frame-ancestors
    } else if (type.starts_with("application/json")) {
        SetDefault(response, "Content-Security-Policy", kDataContentSecurityPolicy);
    }
    if (path.starts_with("/api/")) SetDefault(response, "Cache-Control", "no-store");
    if (response.status == 503) SetDefault(response, "Retry-After", kDefaultRetryAfterSeconds);
}

int StatusForErrorCode(std::string_view code) {
    static const std::unordered_map<std::string_view, int> kStatuses = {
        {"malformed_json", 400},
        {"invalid_body", 400},
        {"bad_request", 400},
        {"invalid_query", 400},
        {"unauthenticated", 401},
        {"invalid_credentials", 401},
        {"forbidden", 403},
        {"account_disabled", 403},
        {"not_found", 404},
        {"method_not_allowed", 405},
        {"request_timeout", 408},
        {"conflict", 409},
        {"already_exists", 409},
        {"login_taken", 409},
        {"invalid_transition", 409},
        // Deleting something still in use: the request is right, the state of the data is not.
        {"site_not_empty", 409},
        {"department_not_empty", 409},
        {"team_not_empty", 409},
        {"position_in_use", 409},
        {"payload_too_large", 413},
        {"unsupported_media_type", 415},
        {"too_many_attempts", 429},
        {"rate_limited", 429},
        {"headers_too_large", 431},
        {"internal_error", 500},
        {"unavailable", 503},
    };
    auto it = kStatuses.find(code);
    if (it != kStatuses.end()) return it->second;
    // Every other expected error is something about the request's content the caller can fix.
    return 422;
}

namespace {

bool ValidUtf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        }
        i += n;
    }
    return true;
}

// What RFC 3986 lets stand unescaped in an origin-form target (path and query), plus '%' (escapes, checked by
// the parser).
constexpr auto kRawTargetChars = urls::pchars + '/' + '?' + '%';

// Text decoded from the target is usable when it is UTF-8 without NUL bytes.
bool Usable(std::string_view decoded) { return decoded.find('\0') == std::string_view::npos && ValidUtf8(decoded); }

}  // namespace

bool ParseTarget(Request& request) {
    std::string_view target = request.target;
    if (target.empty() || target.front() != '/') return false;
    // Browsers send some characters RFC 3986 reserves (`|`, `{`, `^`, raw UTF-8) as they are: escape those first,
    // so they mean what they meant before instead of failing the parse.
    // (urls::encode would escape '%' too, and so the escapes already there.)
    std::string escaped;
    if (!std::ranges::all_of(target, [](char c) { return kRawTargetChars(c); })) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        escaped.reserve(target.size() * 3);
        for (char c : target) {
            if (kRawTargetChars(c)) {
                escaped.push_back(c);
            } else {
                const auto byte = static_cast<unsigned char>(c);
                escaped += {'%', kHex[byte >> 4], kHex[byte & 0x0F]};
            }
        }
        target = escaped;
    }
    auto parsed = urls::parse_origin_form(target);
    if (!parsed) return false;
    const urls::url_view& url = *parsed;

    // Split first, decode each segment after: "/hazards/abc%2Fassign" has two segments, the second "abc/assign".
    request.segments.clear();
    request.path.clear();
    for (urls::pct_string_view encoded : url.encoded_segments()) {
        std::string segment = encoded.decode();
        if (!Usable(segment)) return false;
        request.path += '/';
        request.path += segment;
        request.segments.push_back(std::move(segment));
    }
    if (request.path.empty()) request.path = "/";

    request.query.clear();
    if (!url.has_query()) return true;
    // '+' is a space in query keys and values (HTML forms), as %20 is.
    for (const urls::param_pct_view& param : url.encoded_params()) {
        if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
        urls::encoding_opts opts(/*space_as_plus=*/true, false, false);
        std::string key = param.key.decode(opts);
        std::string value = param.value.decode(opts);
        if (!Usable(key) || !Usable(value)) return false;
        request.query.emplace_back(std::move(key), std::move(value));
    }
    return true;
}

}  // namespace safeloop::http
