#pragma once

// Routes with path parameters ("/api/v1/users/{id}") and the permission each one needs. The router
// only matches; api/dispatch.cpp authenticates, authorises, runs and measures.

#include "api/context.hpp"
#include "http/message.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::api {

using Handler = std::function<http::Response(RequestContext&)>;

// Pseudo-permissions: no authentication at all, or any signed-in user.
inline constexpr std::string_view kPublic = "public";
inline constexpr std::string_view kAuthenticated = "authenticated";

struct Route {
    std::string method;
    std::string pattern;  // also the metrics label
    std::string permission;
    Handler handler;
    std::vector<std::string> segments;  // "{name}" marks a parameter
};

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // non-empty when the path exists with other methods
};

class Router {
public:
    void Add(std::string method, std::string pattern, std::string_view permission, Handler handler);
    // `segments`: the request path split at '/' and then decoded (http::Request::segments), so a decoded '/'
    // inside an id never changes the route.
    RouteMatch Find(std::string_view method, const std::vector<std::string>& segments) const;
    // The same for a path that holds no escapes (split at each '/').
    RouteMatch Find(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace safeloop::api
