#pragma once

// Password hashing with argon2id (libsodium crypto_pwhash_str, INTERACTIVE limits, ~100 ms here):
// call only from worker threads, never from an I/O thread.

#include <string>
#include <string_view>

namespace safeloop::auth {

inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 128;

std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& hash);
// Empty when acceptable, else a message for people (length, not all the same character...).
std::string PasswordProblem(std::string_view password);

}  // namespace safeloop::auth
