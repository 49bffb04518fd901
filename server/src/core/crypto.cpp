#include "core/crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace safeloop {

static_assert(sizeof(crypto_hash_sha256_state) <= 512, "Sha256Stream state buffer too small");

void InitCrypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string RandomBytes(size_t n) {
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string HexEncode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
    return out;
}

namespace {
std::string Base64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}
}  // namespace

std::string Base64Encode(std::string_view bytes) { return Base64(bytes, sodium_base64_VARIANT_ORIGINAL); }
std::string Base64UrlEncode(std::string_view bytes) { return Base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }

std::string Sha256(std::string_view data) {
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    std::string out(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Sha256Stream::Sha256Stream() { crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_)); }

void Sha256Stream::Update(std::string_view data) {
    crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_),
                              reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string Sha256Stream::FinishHex() {
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_),
                             reinterpret_cast<unsigned char*>(out.data()));
    return HexEncode(out);
}

}  // namespace safeloop
