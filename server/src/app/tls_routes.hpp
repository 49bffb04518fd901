#pragma once

// HTTPS setup for `safeloop serve` and the page phones install the local CA from.

#include "api/router.hpp"
#include "app/config.hpp"
#include "http/server.hpp"

#include <optional>
#include <string>

namespace safeloop::app {

// With --tls-cert/--tls-key or --tls-self-signed: loads (or creates under DATA/tls/) the certificate and
// key and sets options.tls and the optional plain-HTTP listener. Does nothing otherwise. Throws on a
// certificate or key that cannot be used.
void ConfigureTls(const Config& config, http::ServerOptions& options);

// The CA a phone should trust (PEM): the self-signed mode's local CA, or the last certificate of a
// --tls-cert chain that has more than one; none otherwise.
std::optional<std::string> PhoneCaPem(const Config& config);

// GET /ca (an HTML page, zh-CN then English), /ca.crt (DER), /ca.pem and /ca.mobileconfig (iOS); all
// public, all 404 while there is no CA to show.
void RegisterTlsRoutes(api::Router& router, const Config& config);

}  // namespace safeloop::app
