#pragma once

#include "core/clock.hpp"

#include <string>
#include <string_view>

namespace safeloop {

// UUIDv7 (time-ordered) in canonical lower-case form, from the injected clock.
std::string NewUuidV7(const Clock& clock);
// Any RFC 4122 UUID in canonical 8-4-4-4-12 hex form (either case).
bool IsUuid(std::string_view s);
// Lower-cases a UUID so ids compare equal whatever case the client sent.
std::string NormalizeUuid(std::string_view s);

}  // namespace safeloop
