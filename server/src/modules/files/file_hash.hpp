#pragma once

// SHA-256 of file contents (content ids, upload checks) through OpenSSL's EVP, which uses the CPU's SHA
// instructions where there are some (several times faster than a portable implementation on large bodies).

#include <string>
#include <string_view>

namespace safeloop::files {

// Lower-case hex SHA-256 of `bytes`.
std::string ContentSha256Hex(std::string_view bytes);

}  // namespace safeloop::files
