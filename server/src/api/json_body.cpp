#include "api/json_body.hpp"

#include "core/ids.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <cmath>

namespace safeloop::api {

namespace {
constexpr size_t kMaxJsonDepth = 32;
}

Result<boost::json::value> ParseJson(std::string_view text) {
    boost::system::error_code ec;
    boost::json::parse_options options;
    options.max_depth = kMaxJsonDepth;
    boost::json::value value = boost::json::parse(text, ec, {}, options);
    if (ec) {
        return AppError{
            "malformed_json", "请求体不是合法的 JSON / The request body is not valid JSON: " + ec.message(), {}, {}};
    }
    return value;
}

Result<boost::json::object> ParseJsonObject(const http::Request& request) {
    auto content_type = request.Header("content-type");
    if (content_type && !content_type->empty() && content_type->find("json") == std::string_view::npos) {
        return AppError{
            "unsupported_media_type", "请以 application/json 发送 / Send the body as application/json", {}, {}};
    }
    if (request.body.empty()) {
        return AppError{
            "invalid_body", "请求体为空，应为 JSON 对象 / The body is empty; a JSON object is expected", {}, {}};
    }
    auto parsed = ParseJson(request.body);
    if (!parsed.ok()) return std::move(parsed).error();
    if (!parsed->is_object()) {
        return AppError{"invalid_body", "请求体应为 JSON 对象 / The body must be a JSON object", {}, {}};
    }
    return std::move(parsed->as_object());
}

size_t Utf8Length(std::string_view text) {
    size_t n = 0;
    for (unsigned char c : text) {
        if ((c & 0xc0) != 0x80) ++n;
    }
    return n;
}

std::string Trim(std::string_view text) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return std::string(text);
}

const boost::json::value* FieldReader::Get(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->value().is_null()) return nullptr;
    return &it->value();
}

bool FieldReader::Present(std::string_view key) const { return Get(key) != nullptr; }

void FieldReader::Fail(std::string_view key, std::string message) {
    error_.fields.emplace(std::string(key), std::move(message));
}

std::optional<std::string> FieldReader::OptionalString(std::string_view key, size_t max_chars) {
    const auto* v = Get(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        Fail(key, "应为文本 / must be a string");
        return std::nullopt;
    }
    std::string s = Trim(std::string_view(v->as_string()));
    for (unsigned char c : s) {
        if (c < 0x20 && c != '\n' && c != '\t') {
            Fail(key, "含有不可见的控制字符 / contains control characters");
            return std::nullopt;
        }
    }
    if (Utf8Length(s) > max_chars) {
        Fail(key, "最多 " + std::to_string(max_chars) + " 个字 / at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    return s;
}

std::string FieldReader::RequiredString(std::string_view key, size_t max_chars) {
    if (!Present(key)) {
        Fail(key, "必填 / is required");
        return {};
    }
    auto s = OptionalString(key, max_chars);
    if (s && s->empty()) {
        Fail(key, "不能为空 / must not be empty");
        return {};
    }
    return s.value_or("");
}

std::optional<int64_t> FieldReader::OptionalInt(std::string_view key, int64_t min, int64_t max) {
    const auto* v = Get(key);
    if (!v) return std::nullopt;
    int64_t out = 0;
    if (v->is_int64()) {
        out = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
        out = static_cast<int64_t>(v->as_uint64());
    } else if (v->is_double() && std::floor(v->as_double()) == v->as_double() && std::fabs(v->as_double()) < 9e15) {
        out = static_cast<int64_t>(v->as_double());
    } else {
        Fail(key, "应为整数 / must be a whole number");
        return std::nullopt;
    }
    if (out < min || out > max) {
        Fail(key, "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间 / must be between " +
                      std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return out;
}

int64_t FieldReader::RequiredInt(std::string_view key, int64_t min, int64_t max) {
    if (!Present(key)) {
        Fail(key, "必填 / is required");
        return 0;
    }
    return OptionalInt(key, min, max).value_or(0);
}

std::optional<double> FieldReader::OptionalDouble(std::string_view key, double min, double max) {
    const auto* v = Get(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) {
        Fail(key, "应为数字 / must be a number");
        return std::nullopt;
    }
    double d = v->to_number<double>();
    if (!std::isfinite(d) || d < min || d > max) {
        Fail(key, "超出允许范围 / is out of range");
        return std::nullopt;
    }
    return d;
}

std::optional<bool> FieldReader::OptionalBool(std::string_view key) {
    const auto* v = Get(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
        Fail(key, "应为 true 或 false / must be true or false");
        return std::nullopt;
    }
    return v->as_bool();
}

std::optional<std::vector<std::string>> FieldReader::OptionalStringArray(std::string_view key, size_t max_items,
                                                                         size_t max_chars) {
    const auto* arr = OptionalArray(key, max_items);
    if (!arr) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : *arr) {
        if (!item.is_string() || Utf8Length(item.as_string()) > max_chars) {
            Fail(key, "应为文本数组 / must be a list of strings");
            return std::nullopt;
        }
        out.emplace_back(item.as_string());
    }
    return out;
}

const boost::json::object* FieldReader::OptionalObject(std::string_view key) {
    const auto* v = Get(key);
    if (!v) return nullptr;
    if (!v->is_object()) {
        Fail(key, "应为对象 / must be an object");
        return nullptr;
    }
    return &v->as_object();
}

const boost::json::array* FieldReader::OptionalArray(std::string_view key, size_t max_items) {
    const auto* v = Get(key);
    if (!v) return nullptr;
    if (!v->is_array()) {
        Fail(key, "应为数组 / must be a list");
        return nullptr;
    }
    if (v->as_array().size() > max_items) {
        Fail(key, "最多 " + std::to_string(max_items) + " 项 / at most " + std::to_string(max_items) + " items");
        return nullptr;
    }
    return &v->as_array();
}

std::optional<std::string> FieldReader::OptionalUuid(std::string_view key) {
    auto s = OptionalString(key, 36);
    if (!s) return std::nullopt;
    if (!IsUuid(*s)) {
        Fail(key, "应为 UUID / must be a UUID");
        return std::nullopt;
    }
    return NormalizeUuid(*s);
}

std::optional<std::string> FieldReader::OptionalEnum(std::string_view key,
                                                     const std::vector<std::string_view>& allowed) {
    auto s = OptionalString(key, 64);
    if (!s) return std::nullopt;
    for (auto a : allowed) {
        if (a == *s) return s;
    }
    std::string list;
    for (auto a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
    }
    Fail(key, "应为以下之一 / must be one of: " + list);
    return std::nullopt;
}

std::optional<TimePoint> FieldReader::OptionalTime(std::string_view key) {
    auto s = OptionalString(key, 40);
    if (!s) return std::nullopt;
    auto t = ParseRfc3339(*s);
    if (!t) Fail(key, "应为 RFC 3339 时间，如 2026-11-28T08:00:00+08:00 / must be an RFC 3339 time");
    return t;
}

boost::json::value OptionalToJson(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return boost::json::value(*value);
}

boost::json::value OptionalToJson(const std::optional<int64_t>& value) {
    if (!value) return nullptr;
    return boost::json::value(*value);
}

}  // namespace safeloop::api
