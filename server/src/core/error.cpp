#include "core/error.hpp"

namespace safeloop {

AppError AppError::Validation(std::string field, std::string message) {
    AppError e{"validation_failed", "请求内容有误 / The request is not valid", {}, {}};
    e.fields.emplace(std::move(field), std::move(message));
    return e;
}

AppError AppError::NotFound(std::string what) {
    return AppError{"not_found", std::move(what) + " 不存在 / " + "not found", {}, {}};
}

AppError AppError::Forbidden(std::string message) { return AppError{"forbidden", std::move(message), {}, {}}; }

AppError AppError::Conflict(std::string code, std::string message) {
    return AppError{std::move(code), std::move(message), {}, {}};
}

AppError AppError::Invalid(std::string code, std::string message) {
    return AppError{std::move(code), std::move(message), {}, {}};
}

}  // namespace safeloop
