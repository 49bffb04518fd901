#include "modules/demo/demo.hpp"

#include <boost/json/object.hpp>
#include <stdexcept>

#include "modules/audit/audit.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::demo {

namespace {
constexpr uint64_t kDemoSeed = 20260101;  // change it and every demo name and number changes
}  // namespace

uint64_t DemoRng::Next() {
    // SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and the same everywhere.
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

size_t DemoRng::Below(size_t n) { return static_cast<size_t>(Next() % n); }

bool DemoRng::Chance(int percent) { return static_cast<int>(Below(100)) < percent; }

const DemoPerson& DemoOrg::User(const std::string& login) const {
    for (const auto& p : people) {
        if (p.login == login) return p;
    }
    throw std::out_of_range("no demo user with login " + login);
}

std::vector<const DemoPerson*> DemoOrg::WithPosition(const std::string& position) const {
    std::vector<const DemoPerson*> out;
    for (const auto& p : people) {
        if (p.position == position && !p.disabled) out.push_back(&p);
    }
    return out;
}

void SeedDemo(db::Connection& conn, const Clock& clock, const std::vector<FeatureSeeder>& features) {
    SeedDemo(conn, clock, DemoOptions{clock.Now()}, features);
}

void SeedDemo(db::Connection& conn, const Clock& clock, const DemoOptions& options,
              const std::vector<FeatureSeeder>& features) {
    db::Transaction tx(conn, db::TxMode::kWrite);
    if (org::OrgStore::FindTenantByCode(conn, std::string(kDemoTenantCode))) {
        throw std::runtime_error("the demo tenant already exists");
    }
    DemoRng rng(kDemoSeed);
    DemoOrg org = SeedOrganisation(conn, clock, options, rng);
    DemoContext ctx{conn, clock, options, rng, org};

    // Each feature adds its own 12 months of history (given by the composition root, app::SeedDemo).
    for (const auto& seed : features) seed(ctx);

    boost::json::object summary;
    summary["people"] = org.people.size();
    summary["departments"] = org.departments.size();
    summary["teams"] = org.teams.size();
    summary["positions"] = org.positions.size();
    audit::Entry entry;
    entry.tenant_id = org.tenant_id;
    entry.actor_id = org.admin_id;
    entry.request_id = "demo";
    entry.action = "demo.seed";
    entry.entity_type = "tenant";
    entry.entity_id = org.tenant_id;
    entry.before = nullptr;
    entry.after = std::move(summary);
    entry.at = options.now;
    audit::Append(conn, entry);
    tx.Commit();
}

}  // namespace safeloop::demo
