#include "modules/hazards/hazard_service.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <set>

#include "modules/audit/audit.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"
#include "modules/org/org_directory.hpp"

// The use cases are split by what they do (see hazard_support.hpp); here: who the caller is to the rules, how far they
// see, and the module's settings.

namespace safeloop::hazards {

Actor ActorOf(const api::Principal& p) {
    Actor a;
    a.user_id = p.user_id;
    a.can_handle = p.Has(perm::kHandle);
    a.can_assign = p.Has(perm::kAssign);
    a.can_verify = p.Has(perm::kVerify);
    a.can_configure = p.Has(perm::kConfigure);
    return a;
}

HazardConfig HazardService::ConfigFor(db::Connection& conn, const std::string& tenant_id) {
    auto saved = HazardStore::LoadConfig(conn, tenant_id);
    return saved ? *saved : DefaultConfig();
}

HazardScope HazardService::ScopeOf(db::Connection& conn, const api::Principal& p) {
    HazardScope s;
    s.user_id = p.user_id;
    s.kind = HazardScope::Kind::kSelf;
    switch (p.scope) {
        case api::Scope::kTenant: s.kind = HazardScope::Kind::kTenant; break;
        case api::Scope::kSite:
            if (p.site_id) {
                s.kind = HazardScope::Kind::kSite;
                s.site_id = p.site_id;
            }
            break;
        case api::Scope::kDepartment:
            if (p.department_id) {
                s.department_ids = org::DepartmentSubtree(conn, p.tenant_id, *p.department_id);
                if (!s.department_ids.empty()) s.kind = HazardScope::Kind::kDepartment;
            }
            break;
        case api::Scope::kTeam:
            // Workers see what they reported or hold; team leaders (who assign) their team's.
            if (p.team_id && p.Has(perm::kAssign)) {
                s.kind = HazardScope::Kind::kTeam;
                s.team_id = p.team_id;
            }
            break;
        case api::Scope::kSelf: break;
    }
    return s;
}

// ---- settings ----

Result<HazardConfig> HazardService::GetConfig(api::RequestContext& ctx) {
    return ConfigFor(ctx.Db(), ctx.user().tenant_id);
}

Result<HazardConfig> HazardService::SaveConfig(api::RequestContext& ctx, const HazardConfig& config) {
    if (auto s = ValidateConfig(config); !s.ok()) return s.error();
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    for (const auto& id : config.deputy_gm_ids) {
        if (!ActiveUser(conn, me.tenant_id, id)) {
            return AppError::Validation("deputy_gm_ids", "没有这个人员或已停用：" + id + " / no such active person");
        }
    }
    db::Transaction tx(conn, db::TxMode::kWrite);
    auto before = ToJson(ConfigFor(conn, me.tenant_id));
    HazardStore::SaveConfig(conn, me.tenant_id, config, NowMs(ctx));
    audit::Record(ctx, "hazard.settings", "hazard_settings", me.tenant_id, std::move(before), ToJson(config));
    tx.Commit();
    return config;
}

Result<std::vector<Owner>> HazardService::GetOwners(api::RequestContext& ctx) {
    return HazardStore::ListOwners(ctx.Db(), ctx.user().tenant_id);
}

Result<std::vector<Owner>> HazardService::SaveOwners(api::RequestContext& ctx, const std::vector<Owner>& owners) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    db::Transaction tx(conn, db::TxMode::kWrite);
    AppError invalid{"validation_failed", "负责人设置有误 / Some owners are not valid", {}, {}};
    std::set<std::pair<std::string, std::string>> seen;
    for (size_t i = 0; i < owners.size(); ++i) {
        if (!ActiveUser(conn, me.tenant_id, owners[i].user_id)) {
            invalid.fields[fmt::format("owners[{}].user_id", i)] = "没有这个人员或已停用 / no such active person";
        }
        if (!seen.insert({owners[i].kind, owners[i].key}).second) {
            invalid.fields[fmt::format("owners[{}].key", i)] = "重复 / given twice";
        }
    }
    if (!invalid.fields.empty()) return invalid;
    boost::json::array after;
    for (const auto& o : owners)
        after.emplace_back(boost::json::object{{"kind", o.kind}, {"key", o.key}, {"user_id", o.user_id}});
    HazardStore::ReplaceOwners(conn, me.tenant_id, owners, NowMs(ctx));
    audit::Record(ctx, "hazard.owners", "hazard_owners", me.tenant_id, nullptr, std::move(after));
    tx.Commit();
    return owners;
}

}  // namespace safeloop::hazards
