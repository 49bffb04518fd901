#include "api/router.hpp"

#include <stdexcept>

namespace safeloop::api {

namespace {

std::vector<std::string> Split(std::string_view path) {
    std::vector<std::string> out;
    size_t start = 1;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        out.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

bool IsParam(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, std::string_view permission, Handler handler) {
    if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with /");
    Route route{std::move(method), pattern, std::string(permission), std::move(handler), Split(pattern)};
    for (const auto& existing : routes_) {
        if (existing.method == route.method && existing.pattern == route.pattern)
            throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
    }
    routes_.push_back(std::move(route));
}

RouteMatch Router::Find(std::string_view method, std::string_view path) const {
    if (path.empty() || path.front() != '/') return {};
    return Find(method, Split(path));
}

RouteMatch Router::Find(std::string_view method, const std::vector<std::string>& segments) const {
    RouteMatch result;
    // Literal segments win over parameters: "/hazards/stats" before "/hazards/{id}".
    int best_score = -1;
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        int score = 0;
        bool matches = true;
        for (size_t i = 0; i < segments.size(); ++i) {
            if (IsParam(route.segments[i])) {
                // No id holds a '/': a decoded "%2F" inside a segment names nothing.
                if (segments[i].empty() || segments[i].find('/') != std::string::npos) {
                    matches = false;
                    break;
                }
            } else if (route.segments[i] == segments[i]) {
                score += 1;
            } else {
                matches = false;
                break;
            }
        }
        if (!matches) continue;
        bool method_ok = route.method == method || (method == "HEAD" && route.method == "GET");
        if (!method_ok) {
            result.allowed_methods.push_back(route.method);
            continue;
        }
        if (score <= best_score) continue;
        best_score = score;
        result.route = &route;
        result.params.clear();
        for (size_t i = 0; i < segments.size(); ++i) {
            if (IsParam(route.segments[i])) {
                result.params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
            }
        }
    }
    if (result.route) result.allowed_methods.clear();
    return result;
}

}  // namespace safeloop::api
