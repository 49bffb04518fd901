#include "http/message.hpp"

#include "core/error.hpp"

#include <boost/json/serialize.hpp>

#include <unordered_map>

namespace safeloop::http {

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

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

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

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = HexValue(text[i + 1]);
            int lo = HexValue(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    if (!ValidUtf8(out)) return std::nullopt;
    return out;
}

bool ParseTarget(Request& request) {
    std::string_view target = request.target;
    if (target.empty() || target.front() != '/') return false;
    auto q = target.find('?');
    auto path = PercentDecode(target.substr(0, q), false);
    if (!path || path->find('\0') != std::string::npos) return false;
    request.path = std::move(*path);
    request.query.clear();
    if (q == std::string_view::npos) return true;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view part = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto key = PercentDecode(part.substr(0, eq), true);
        auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
        if (!key || !value) return false;
        request.query.emplace_back(std::move(*key), std::move(*value));
    }
    return true;
}

}  // namespace safeloop::http
