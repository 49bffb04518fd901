#pragma once

// HTTP endpoints of outbound messaging: channel settings and a test message, the delivery log (outbox),
// and the caller's in-app notifications with their live stream (Server-Sent Events).

#include "api/router.hpp"
#include "modules/notify/notify_service.hpp"

namespace safeloop::notify {

void RegisterNotifyRoutes(api::Router& router, NotifyService& service);

}  // namespace safeloop::notify
