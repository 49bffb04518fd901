#pragma once

// Deterministic, realistic-looking people for the demo: Chinese names drawn from common surnames and
// given names (weighted like real frequencies, never repeated) and distinct mainland mobile numbers.
// Pure: the same DemoRng seed gives the same people on every machine.

#include <set>
#include <string>

#include "modules/demo/demo.hpp"

namespace safeloop::demo {

class NameGenerator {
public:
    explicit NameGenerator(DemoRng& rng) : rng_(rng) {}
    // Marks a name as taken (the fixed names of the demo's key accounts).
    void Reserve(const std::string& name) { used_.insert(name); }
    // A surname plus a one- or two-character given name, not handed out before.
    std::string Next(bool male);

private:
    DemoRng& rng_;
    std::set<std::string> used_;
};

class MobileGenerator {
public:
    explicit MobileGenerator(DemoRng& rng) : rng_(rng) {}
    void Reserve(const std::string& mobile) { used_.insert(mobile); }
    // 11 digits with a 13x, 15x or 18x prefix, not handed out before.
    std::string Next();

private:
    DemoRng& rng_;
    std::set<std::string> used_;
};

}  // namespace safeloop::demo
