#include "modules/auth/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace safeloop::auth {

std::string HashPassword(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("argon2id hashing ran out of memory");
    }
    return out;
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
    if (hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string PasswordProblem(std::string_view password) {
    if (password.size() < kMinPasswordLength) return "密码至少 8 位 / at least 8 characters";
    if (password.size() > kMaxPasswordLength) return "密码最多 128 位 / at most 128 characters";
    if (password.find_first_not_of(password.front()) == std::string_view::npos)
        return "密码不能全是同一个字符 / must not repeat one character";
    return {};
}

}  // namespace safeloop::auth
