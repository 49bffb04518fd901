#pragma once

// SHA-256 of file contents (content ids, upload checks) through OpenSSL, which uses the CPU's SHA instructions where
// there are some (several times faster than a portable implementation on large bodies).

#include <openssl/sha.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace safeloop::files {

// Lower-case hex SHA-256 of `bytes`.
std::string ContentSha256Hex(std::string_view bytes);

// The SHA-256 of a resumable upload, carried from chunk to chunk in the upload's row (file_uploads.sha_state) so
// completing the upload does not read its bytes back to hash them. The saved state is SHA-256's standard midstate
// (the eight chaining words, the length and the unhashed tail of under 64 bytes) in a layout of our own: it depends
// only on the bytes hashed, not on the OpenSSL build or the node that hashed them.
class UploadDigest {
public:
    UploadDigest();
    // nullopt when `saved` is not a state Save wrote (a session from before V017 has none).
    static std::optional<UploadDigest> Restore(std::string_view saved);

    void Update(std::string_view bytes);
    // Bytes hashed so far.
    int64_t length() const;
    std::string Save() const;
    // Lower-case hex digest of everything hashed; the object is unchanged.
    std::string Hex() const;

private:
    SHA256_CTX ctx_{};
};

}  // namespace safeloop::files
