#pragma once

// Thin wrappers over libsodium. Call InitCrypto() once at start-up.

#include <cstdint>
#include <string>
#include <string_view>

namespace safeloop {

void InitCrypto();
std::string RandomBytes(size_t n);
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);  // no padding
std::string Sha256(std::string_view data);            // raw 32 bytes
std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
// Constant-time comparison of equal-length strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Incremental SHA-256 for streamed data (uploads).
class Sha256Stream {
public:
    Sha256Stream();
    void Update(std::string_view data);
    std::string FinishHex();

private:
    alignas(64) unsigned char state_[512];
};

}  // namespace safeloop
