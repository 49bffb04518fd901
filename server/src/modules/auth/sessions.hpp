#pragma once

#include "core/clock.hpp"
#include "db/db.hpp"

#include <string>

namespace safeloop::auth {

// Revokes every live session of a user (disable, password change). Runs in the caller's transaction.
void RevokeUserSessions(db::Connection& conn, const std::string& user_id, TimePoint now);

}  // namespace safeloop::auth
