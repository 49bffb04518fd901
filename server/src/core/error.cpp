#include "core/error.hpp"

namespace safeloop {

AppError AppError::Validation(std::string field, std::string message) {
    AppError e{"validation_failed", "请求内容有误 / The request is not valid", {}, {}};
    e.fields.emplace(std::move(field), std::move(message));
    return e;
}

// `what` names the record in both languages, "隐患 / Hazard"; the message is each language's sentence whole,
// "隐患不存在 / Hazard not found", so a client may split it on " / ". A name in one form only (a path) stands
// in both sentences.
AppError AppError::NotFound(std::string what) {
    constexpr std::string_view kSeparator = " / ";
    const size_t at = what.find(kSeparator);
    const std::string zh = what.substr(0, at);
    const std::string en = at == std::string::npos ? std::move(what) : what.substr(at + kSeparator.size());
    return AppError{"not_found", zh + "不存在 / " + en + " not found", {}, {}};
}

AppError AppError::Forbidden(std::string message) { return AppError{"forbidden", std::move(message), {}, {}}; }

AppError AppError::Conflict(std::string code, std::string message) {
    return AppError{std::move(code), std::move(message), {}, {}};
}

AppError AppError::Invalid(std::string code, std::string message) {
    return AppError{std::move(code), std::move(message), {}, {}};
}

}  // namespace safeloop
