#pragma once

#include "api/router.hpp"
#include "modules/auth/auth_service.hpp"

namespace safeloop::auth {

// POST /auth/login, POST /auth/logout, GET /me, POST /me/password, GET /roles.
void RegisterAuthRoutes(api::Router& router, AuthService& service);

}  // namespace safeloop::auth
