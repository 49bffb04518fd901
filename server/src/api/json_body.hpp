#pragma once

// Reading JSON request bodies into validated values. A FieldReader collects every problem, so one
// answer lists all the fields a person must fix ("validation_failed" with "fields").

#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::api {

inline constexpr size_t kDefaultMaxChars = 200;

// The body as a JSON object: 400 malformed_json for bad syntax, 400 invalid_body for a non-object,
// 415 unsupported_media_type for a Content-Type that is not JSON.
Result<boost::json::object> ParseJsonObject(const http::Request& request);
Result<boost::json::value> ParseJson(std::string_view text);

class FieldReader {
public:
    explicit FieldReader(const boost::json::object& object) : object_(object) {}

    // Strings are trimmed; max_chars counts Unicode code points; control characters are refused.
    std::string RequiredString(std::string_view key, size_t max_chars = kDefaultMaxChars);
    std::optional<std::string> OptionalString(std::string_view key, size_t max_chars = kDefaultMaxChars);
    std::optional<int64_t> OptionalInt(std::string_view key, int64_t min, int64_t max);
    int64_t RequiredInt(std::string_view key, int64_t min, int64_t max);
    std::optional<double> OptionalDouble(std::string_view key, double min, double max);
    std::optional<bool> OptionalBool(std::string_view key);
    std::optional<std::vector<std::string>> OptionalStringArray(std::string_view key, size_t max_items,
                                                                size_t max_chars = kDefaultMaxChars);
    const boost::json::object* OptionalObject(std::string_view key);
    const boost::json::array* OptionalArray(std::string_view key, size_t max_items);
    // A UUID string (normalised to lower case).
    std::optional<std::string> OptionalUuid(std::string_view key);
    // One of the allowed values.
    std::optional<std::string> OptionalEnum(std::string_view key, const std::vector<std::string_view>& allowed);
    // RFC 3339 timestamp.
    std::optional<TimePoint> OptionalTime(std::string_view key);

    bool Present(std::string_view key) const;
    void Fail(std::string_view key, std::string message);
    bool ok() const { return error_.fields.empty(); }
    // The collected validation error; call only when !ok().
    const AppError& error() const { return error_; }

private:
    const boost::json::value* Get(std::string_view key) const;
    const boost::json::object& object_;
    AppError error_{"validation_failed", "请求内容有误，请检查标出的字段 / Some fields are not valid", {}, {}};
};

// Counts Unicode code points in valid UTF-8.
size_t Utf8Length(std::string_view text);
std::string Trim(std::string_view text);

// JSON helpers for building answers.
boost::json::value OptionalToJson(const std::optional<std::string>& value);
boost::json::value OptionalToJson(const std::optional<int64_t>& value);

}  // namespace safeloop::api
