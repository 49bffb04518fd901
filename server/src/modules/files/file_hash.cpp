// UploadDigest keeps its state in OpenSSL's SHA256_CTX, whose fields are public API: SHA256_Init/Update/Final are
// deprecated in OpenSSL 3 in favour of EVP, which has no way to export a digest's state. They remain in every
// OpenSSL 3 release and use the same CPU-specific code as EVP.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "modules/files/file_hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "core/crypto.hpp"

namespace safeloop::files {

namespace {

// Version byte, 8 chaining words, the bit length (low, high words), the tail's length, the tail: little-endian words.
constexpr unsigned char kStateVersion = 1;
constexpr size_t kWords = 8;
constexpr size_t kBlock = SHA256_CBLOCK;
constexpr size_t kFixedStateSize = 1 + (kWords + 2) * 4 + 1;

void PutWord(std::string& out, uint32_t word) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((word >> shift) & 0xffU));
}

uint32_t GetWord(std::string_view in, size_t at) {
    uint32_t word = 0;
    for (size_t i = 0; i < 4; ++i) word |= static_cast<uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    return word;
}

}  // namespace

std::string ContentSha256Hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP)");
    }
    return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

UploadDigest::UploadDigest() {
    if (SHA256_Init(&ctx_) != 1) throw std::runtime_error("SHA-256 failed (OpenSSL SHA256_Init)");
}

std::optional<UploadDigest> UploadDigest::Restore(std::string_view saved) {
    if (saved.size() < kFixedStateSize || static_cast<unsigned char>(saved[0]) != kStateVersion) return std::nullopt;
    const auto tail = static_cast<unsigned char>(saved[kFixedStateSize - 1]);
    if (tail >= kBlock || saved.size() != kFixedStateSize + tail) return std::nullopt;
    UploadDigest digest;
    for (size_t i = 0; i < kWords; ++i) digest.ctx_.h[i] = GetWord(saved, 1 + i * 4);
    digest.ctx_.Nl = GetWord(saved, 1 + kWords * 4);
    digest.ctx_.Nh = GetWord(saved, 1 + (kWords + 1) * 4);
    // The length and the tail must agree: the tail is what is left of the length past whole blocks.
    if ((digest.ctx_.Nl / 8) % kBlock != tail || digest.ctx_.Nl % 8 != 0) return std::nullopt;
    std::memcpy(digest.ctx_.data, saved.data() + kFixedStateSize, tail);
    digest.ctx_.num = tail;
    return digest;
}

void UploadDigest::Update(std::string_view bytes) {
    if (SHA256_Update(&ctx_, bytes.data(), bytes.size()) != 1) {
        throw std::runtime_error("SHA-256 failed (OpenSSL SHA256_Update)");
    }
}

int64_t UploadDigest::length() const {
    return static_cast<int64_t>(((static_cast<uint64_t>(ctx_.Nh) << 32U) | ctx_.Nl) / 8);
}

std::string UploadDigest::Save() const {
    std::string out;
    out.reserve(kFixedStateSize + ctx_.num);
    out.push_back(static_cast<char>(kStateVersion));
    for (const SHA_LONG word : ctx_.h) PutWord(out, word);
    PutWord(out, ctx_.Nl);
    PutWord(out, ctx_.Nh);
    out.push_back(static_cast<char>(ctx_.num));
    out.append(reinterpret_cast<const char*>(ctx_.data), ctx_.num);
    return out;
}

std::string UploadDigest::Hex() const {
    SHA256_CTX copy = ctx_;
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    if (SHA256_Final(digest.data(), &copy) != 1) throw std::runtime_error("SHA-256 failed (OpenSSL SHA256_Final)");
    return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace safeloop::files
