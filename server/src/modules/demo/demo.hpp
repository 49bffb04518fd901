#pragma once

// The demo tenant of CONTRACT.md: a steel-structure fabrication plant in Shaoxing (绍兴恒钢钢结构制造有限公司,
// about 420 staff, three welding workshops, two paint lines, a heavy lifting area) with its organisation
// and, as feature issues land, twelve months of history. `safeloop demo` calls SeedDemo once on a fresh
// database; everything is written in one transaction.
//
// Adding history for a feature: write `void SeedXxx(DemoContext& ctx)` in the feature's own module, using only
// public headers, and name it as the `seed_demo` of the feature's module declaration (modules/module.hpp); the
// composition root (app/modules.cpp, app::SeedDemo) hands every module's seeder to SeedDemo, which runs them in
// order after SeedOrganisation. This module never names a feature. Use ctx.org to find people
// (ctx.org.User("welder1")), ctx.rng for choices and ctx.options.now for the present; never the wall clock.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/db.hpp"

namespace safeloop::demo {

inline constexpr std::string_view kDemoPassword = "demo-2026";
inline constexpr std::string_view kDemoTenantCode = "demo";

struct DemoOptions {
    TimePoint now;  // "today" for the demo; history lies in the 12 months before it
};

// A deterministic pseudo-random generator (SplitMix64): the same demo on every machine.
class DemoRng {
public:
    explicit DemoRng(uint64_t seed) : state_(seed) {}
    uint64_t Next();
    // Uniform in [0, n); n > 0.
    size_t Below(size_t n);
    // True with probability percent / 100.
    bool Chance(int percent);

private:
    uint64_t state_;
};

// Who is who in the demo organisation, for feature seeders.
struct DemoPerson {
    std::string id;
    std::string login;
    std::string name;
    std::string mobile;
    std::string employee_no;
    std::string department;     // department name, e.g. "焊接一车间"
    std::string team;           // team name or ""
    std::string position;       // position name, e.g. "焊工"
    std::string supervisor_id;  // "" for the general manager and the outside auditor
    int64_t hired_at = 0;       // UTC ms; also the user's created_at
    bool disabled = false;      // left the company
};

struct DemoOrg {
    std::string tenant_id;
    std::string site_id;
    std::string admin_id;
    std::map<std::string, std::string> departments;  // name -> id (names are unique in the demo)
    std::map<std::string, std::string> teams;        // "焊接一车间/焊接一班" -> id
    std::map<std::string, std::string> positions;    // name -> id
    std::vector<DemoPerson> people;                  // active and disabled, in hiring order

    // The person with this login; throws std::out_of_range when there is none.
    const DemoPerson& User(const std::string& login) const;
    // Active people holding a position ("焊工"), in hiring order.
    std::vector<const DemoPerson*> WithPosition(const std::string& position) const;
};

// What a feature seeder gets.
struct DemoContext {
    db::Connection& conn;
    const Clock& clock;
    DemoOptions options;
    DemoRng& rng;
    DemoOrg& org;
};

// A feature's demo history: bulk inserts in the caller's transaction, no outbound messages.
using FeatureSeeder = std::function<void(DemoContext& ctx)>;

// Creates the whole demo tenant in one transaction: the organisation, then each feature's history in the order
// given. Throws if a tenant with the demo's code exists.
void SeedDemo(db::Connection& conn, const Clock& clock, const std::vector<FeatureSeeder>& features = {});
void SeedDemo(db::Connection& conn, const Clock& clock, const DemoOptions& options,
              const std::vector<FeatureSeeder>& features = {});

// The organisation: tenant, site, department tree, teams, positions, ≈420 users with supervisors.
// Runs inside the caller's transaction.
DemoOrg SeedOrganisation(db::Connection& conn, const Clock& clock, const DemoOptions& options, DemoRng& rng);

}  // namespace safeloop::demo
