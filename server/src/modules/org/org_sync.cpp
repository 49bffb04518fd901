#include "modules/org/org_sync.hpp"

#include <boost/json/array.hpp>

#include <map>

#include "api/json_body.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::org {

namespace {

namespace json = boost::json;

constexpr int kMaxTeamPeople = 1000;

json::object Person(const User& u) {
    return json::object{{"id", u.id},
                        {"name", u.name},
                        {"mobile", u.mobile},
                        {"team_id", api::OptionalToJson(u.team_id)},
                        {"department_id", api::OptionalToJson(u.department_id)},
                        {"position_id", api::OptionalToJson(u.position_id)}};
}

// The people a phone needs offline: the user's team (to pick an assignee, call a colleague), the team's
// leader and the user's direct supervisor.
json::object PeopleChange(api::RequestContext& ctx) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    std::map<std::string, User> people;
    if (me.team_id) {
        UserQuery q;
        q.tenant_id = me.tenant_id;
        q.visibility = Visibility{"tenant", me.user_id, std::nullopt, std::nullopt};
        q.team_id = me.team_id;
        q.limit = kMaxTeamPeople;
        for (auto& u : OrgStore::ListUsers(conn, q)) people.emplace(u.id, std::move(u));
        if (auto team = OrgStore::FindTeam(conn, me.tenant_id, *me.team_id); team && team->leader_user_id) {
            if (auto u = OrgStore::FindUser(conn, me.tenant_id, *team->leader_user_id)) {
                people.emplace(u->id, std::move(*u));
            }
        }
    }
    for (const auto& id : {std::optional<std::string>(me.user_id), me.supervisor_id}) {
        if (!id) continue;
        if (auto u = OrgStore::FindUser(conn, me.tenant_id, *id)) people.emplace(u->id, std::move(*u));
    }
    json::array list;
    for (const auto& [id, u] : people) {
        if (!u.disabled) list.push_back(Person(u));
    }
    return json::object{{"type", "people"}, {"data", std::move(list)}};
}

class PeopleFeed : public sync::ChangeFeed {
public:
    std::vector<std::string> FollowedTypes() const override { return {"user"}; }

    Result<SnapshotPage> Snapshot(api::RequestContext& ctx, const std::string& /*cursor*/, int /*limit*/) override {
        SnapshotPage page;
        page.changes.push_back(PeopleChange(ctx));
        return page;
    }

    std::vector<json::object> Details(api::RequestContext& ctx,
                                      const std::vector<audit::Change>& /*changed*/) override {
        return {PeopleChange(ctx)};
    }
};

}  // namespace

void RegisterOrgSync(sync::Registry& registry) { registry.AddFeed(std::make_unique<PeopleFeed>()); }

}  // namespace safeloop::org
