#pragma once

// Expected failures are values: an AppError carries a stable machine code, a message for people and
// optional per-field messages. One place (http/error_map.cpp) maps codes to HTTP statuses.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace safeloop {

struct AppError {
    std::string code;
    std::string message;
    std::map<std::string, std::string> fields;  // field name -> what is wrong with it
    boost::json::object extra;                  // extra top-level members of "error" (e.g. "missing", "reasons")

    static AppError Validation(std::string field, std::string message);
    static AppError NotFound(std::string what);
    static AppError Forbidden(std::string message = "您没有执行此操作的权限 / You do not have permission to do this");
    static AppError Conflict(std::string code, std::string message);
    static AppError Invalid(std::string code, std::string message);
};

// Thrown only to unwind a transaction with an expected error; caught by db::InTransaction users and routes.
class AppErrorException : public std::runtime_error {
public:
    explicit AppErrorException(AppError error) : std::runtime_error(error.code), error_(std::move(error)) {}
    const AppError& error() const { return error_; }

private:
    AppError error_;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
    Result(AppError error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<T>(data_); }
    const T& value() const& { return std::get<T>(data_); }
    T&& value() && { return std::get<T>(std::move(data_)); }
    T* operator->() { return &std::get<T>(data_); }
    const T* operator->() const { return &std::get<T>(data_); }
    T& operator*() & { return std::get<T>(data_); }
    const AppError& error() const& { return std::get<AppError>(data_); }
    AppError&& error() && { return std::get<AppError>(std::move(data_)); }

    // Returns the value or throws the error (to roll back a surrounding transaction).
    T ValueOrThrow() && {
        if (!ok()) throw AppErrorException(std::get<AppError>(std::move(data_)));
        return std::get<T>(std::move(data_));
    }

private:
    std::variant<T, AppError> data_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace safeloop
