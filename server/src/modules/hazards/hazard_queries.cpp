// Reading hazards: one detail (with what the caller may do on it), many details at once for the change feed, the answer
// of a write, lists, statistics, the board and the metrics.

#include <algorithm>
#include <boost/json/array.hpp>
#include <set>

#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "modules/hazards/hazard_metrics.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/hazards/hazard_store.hpp"
#include "modules/hazards/hazard_support.hpp"
#include "modules/org/org_directory.hpp"
#include "modules/org/org_store.hpp"

namespace safeloop::hazards {

namespace {

constexpr int64_t kMaxMetricDays = 366;

}  // namespace

// ---- reads ----

Result<Detail> HazardService::Get(api::RequestContext& ctx, const std::string& id) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    auto h = HazardStore::Find(conn, me.tenant_id, id);
    if (!h) return HazardNotFound();
    auto extensions = HazardStore::Extensions(conn, me.tenant_id, id);
    const HazardScope scope = ScopeOf(conn, me);
    if (!ReadableBy(*h, extensions, scope)) return HazardNotFound();
    Detail d;
    d.hazard = std::move(*h);
    d.extensions = std::move(extensions);
    d.events = HazardStore::Events(conn, me.tenant_id, id);
    d.rectifications = HazardStore::Rectifications(conn, me.tenant_id, id);
    WorkOrderQuery wq;
    wq.tenant_id = me.tenant_id;
    wq.hazard_id = id;
    wq.limit = api::kMaxListLimit;
    d.work_orders = HazardStore::ListWorkOrders(conn, wq);
    d.voice_note = HazardStore::FindVoiceNote(conn, me.tenant_id, id);
    Complete(conn, ConfigFor(conn, me.tenant_id), d);
    SetActions(me, scope, d);
    return d;
}

std::vector<Detail> HazardService::GetMany(api::RequestContext& ctx, const std::vector<std::string>& ids) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    std::vector<Detail> details;
    if (ids.empty()) return details;
    DetailRows rows = HazardStore::DetailsOf(conn, me.tenant_id, ids);
    const HazardScope scope = ScopeOf(conn, me);
    std::map<std::string, Hazard> found;
    for (auto& h : rows.hazards) found.emplace(h.id, std::move(h));
    std::set<std::string> taken;
    for (const auto& id : ids) {
        auto it = found.find(id);
        if (it == found.end() || !taken.insert(id).second) continue;
        std::vector<Extension> extensions = std::move(rows.extensions[id]);
        if (!ReadableBy(it->second, extensions, scope)) continue;
        Detail d;
        d.hazard = std::move(it->second);
        d.extensions = std::move(extensions);
        d.events = std::move(rows.events[id]);
        d.rectifications = std::move(rows.rectifications[id]);
        d.work_orders = std::move(rows.work_orders[id]);
        if (auto note = rows.voice_notes.find(id); note != rows.voice_notes.end())
            d.voice_note = std::move(note->second);
        details.push_back(std::move(d));
    }
    CompleteMany(conn, ConfigFor(conn, me.tenant_id), details);
    for (auto& d : details) SetActions(me, scope, d);
    return details;
}

Detail HazardService::DetailAfterWrite(api::RequestContext& ctx, const Hazard& hazard) {
    db::Connection& conn = ctx.Db();
    const std::string& tenant = hazard.tenant_id;
    Detail d;
    d.hazard = hazard;
    d.extensions = HazardStore::Extensions(conn, tenant, hazard.id);
    d.events = HazardStore::Events(conn, tenant, hazard.id);
    d.rectifications = HazardStore::Rectifications(conn, tenant, hazard.id);
    WorkOrderQuery wq;
    wq.tenant_id = tenant;
    wq.hazard_id = hazard.id;
    wq.limit = api::kMaxListLimit;
    d.work_orders = HazardStore::ListWorkOrders(conn, wq);
    d.voice_note = HazardStore::FindVoiceNote(conn, tenant, hazard.id);
    Complete(conn, ConfigFor(conn, tenant), d);
    SetActions(ctx.user(), ScopeOf(conn, ctx.user()), d);
    return d;
}

Detail HazardService::DetailAfterCreate(api::RequestContext& ctx, const Created& created) {
    // A repeated id: whatever was stored then.
    if (!created.created) return DetailAfterWrite(ctx, created.hazard);
    // A new report has no extensions or work orders yet and its other records are at hand; only the events are read
    // back (for their sequence numbers).
    db::Connection& conn = ctx.Db();
    Detail d;
    d.hazard = created.hazard;
    d.events = HazardStore::Events(conn, created.hazard.tenant_id, created.hazard.id);
    d.rectifications = created.rectifications;
    d.voice_note = created.voice_note;
    Complete(conn, created.config, d);
    SetActions(ctx.user(), ScopeOf(conn, ctx.user()), d);
    return d;
}

namespace {

// Everyone a detail names: reporter, assignee, liable person, the actors of its events, rectifications, extensions and
// work orders.
std::vector<std::string> MentionedIn(const Detail& d) {
    const Hazard& h = d.hazard;
    std::vector<std::string> mentioned = {h.reporter_id};
    auto mention = [&](const std::optional<std::string>& user_id) {
        if (user_id) mentioned.push_back(*user_id);
    };
    mention(h.assignee_id);
    mention(h.liable_person_id);
    for (const auto& e : d.events) mention(e.actor_id);
    for (const auto& r : d.rectifications) {
        mentioned.push_back(r.submitted_by);
        mention(r.signed_by);
        mention(r.verified_by);
    }
    for (const auto& x : d.extensions) {
        mentioned.push_back(x.requested_by);
        mention(x.approver_id);
        mention(x.decided_by);
    }
    for (const auto& w : d.work_orders) {
        mentioned.push_back(w.owner_id);
        mentioned.insert(mentioned.end(), w.cc_user_ids.begin(), w.cc_user_ids.end());
        mention(w.closed_by);
    }
    return mentioned;
}

// Fills what a detail shows besides its records: the evidence it needs, and the names of everyone it mentions
// (`people`: this detail's, keyed by user id) and of its department.
void Fill(const HazardConfig& config, Detail& d, std::map<std::string, std::string> people,
          std::optional<std::string> department) {
    const Hazard& h = d.hazard;
    d.required_evidence = RequiredEvidence(config, h.grade, h.category);
    d.min_video_s = config.min_video_s;
    d.people = std::move(people);
    // The hazard's own names come from the same lookup.
    auto name = [&](const std::optional<std::string>& id) {
        std::optional<std::string> out;
        if (id) {
            if (auto it = d.people.find(*id); it != d.people.end()) out = it->second;
        }
        return out;
    };
    d.names.reporter = name(h.reporter_id);
    d.names.assignee = name(h.assignee_id);
    d.names.department = std::move(department);
}

}  // namespace

void HazardService::SetActions(const api::Principal& me, const HazardScope& scope, Detail& d) {
    std::optional<Extension> pending;
    if (d.hazard.pending_extension_id) {
        for (const auto& x : d.extensions) {
            if (x.id == *d.hazard.pending_extension_id && x.status == "pending") pending = x;
        }
    }
    d.actions = ActionsFor(FactsOf(d.hazard, pending), ActorOf(me), VisibleTo(d.hazard, scope));
}

void HazardService::Complete(db::Connection& conn, const HazardConfig& config, Detail& d) {
    const Hazard& h = d.hazard;
    auto people = org::UserNames(conn, h.tenant_id, MentionedIn(d));
    std::optional<std::string> department;
    if (h.department_id) {
        if (auto dep = org::OrgStore::FindDepartment(conn, h.tenant_id, *h.department_id)) department = dep->name;
    }
    Fill(config, d, std::move(people), std::move(department));
}

void HazardService::CompleteMany(db::Connection& conn, const HazardConfig& config, std::vector<Detail>& details) {
    if (details.empty()) return;
    const std::string& tenant_id = details.front().hazard.tenant_id;
    std::vector<std::vector<std::string>> mentioned;
    mentioned.reserve(details.size());
    std::vector<std::string> everyone;
    for (const auto& d : details) {
        mentioned.push_back(MentionedIn(d));
        everyone.insert(everyone.end(), mentioned.back().begin(), mentioned.back().end());
    }
    const auto names = org::UserNames(conn, tenant_id, everyone);
    const auto departments = org::DepartmentNames(conn, tenant_id);
    for (size_t i = 0; i < details.size(); ++i) {
        Detail& d = details[i];
        std::map<std::string, std::string> people;
        for (const auto& id : mentioned[i]) {
            if (auto it = names.find(id); it != names.end()) people.emplace(it->first, it->second);
        }
        std::optional<std::string> department;
        if (d.hazard.department_id) {
            if (auto it = departments.find(*d.hazard.department_id); it != departments.end()) department = it->second;
        }
        Fill(config, d, std::move(people), std::move(department));
    }
}

Result<ListPage> HazardService::List(api::RequestContext& ctx, const ListInput& in) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    ListQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = ScopeOf(conn, me);
    q.statuses = in.statuses;
    q.grade = in.grade;
    q.category = in.category;
    q.assignee_id = in.mine ? std::optional<std::string>(me.user_id) : in.assignee_id;
    q.reporter_id = in.reporter_id;
    q.department_id = in.department_id;
    if (in.code) {
        q.code_search = ParseCodeSearch(*in.code);
        if (!q.code_search) return ListPage{};  // cannot be (the start of) a code: nothing matches
    }
    if (in.to_verify) {
        q.statuses = {std::string(StatusName(HazardStatus::kSubmitted))};
        q.not_submitted_by = me.user_id;
    }
    q.overdue = in.overdue;
    q.now = NowMs(ctx);
    q.sort = in.sort;
    q.after = in.after;
    q.limit = in.limit + 1;  // one more tells whether there is a next page
    ListPage page;
    page.items = HazardStore::List(conn, q);
    if (static_cast<int>(page.items.size()) > in.limit) {
        page.items.resize(static_cast<size_t>(in.limit));
        const auto& last = page.items.back();
        page.next =
            ListCursor{in.sort == SortOrder::kDueAt ? last.due_at : last.reported_at, last.code_year, last.code_seq};
    }
    page.names = NamesForAll(conn, me.tenant_id, page.items);
    return page;
}

Result<boost::json::array> HazardService::Stats(api::RequestContext& ctx, const StatsInput& in) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    StatsQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = ScopeOf(conn, me);
    q.group_by = in.group_by;
    q.statuses = in.statuses;
    q.grade = in.grade;
    q.overdue = in.overdue;
    q.now = NowMs(ctx);
    q.from = in.from;
    q.to = in.to;
    auto rows = HazardStore::Stats(conn, q);
    bool by_department = std::find(in.group_by.begin(), in.group_by.end(), "department") != in.group_by.end();
    auto departments = by_department ? org::DepartmentNames(conn, me.tenant_id) : std::map<std::string, std::string>{};
    boost::json::array out;
    for (const auto& r : rows) {
        boost::json::object o;
        for (size_t i = 0; i < in.group_by.size(); ++i) {
            const auto& key = in.group_by[i];
            const auto& value = r.keys[i];
            if (key == "department") {
                o["department_id"] = api::OptionalToJson(value);
                std::optional<std::string> name;
                if (value) {
                    if (auto it = departments.find(*value); it != departments.end()) name = it->second;
                }
                o["department"] = name ? boost::json::value(*name) : boost::json::value(nullptr);
            } else {
                o[key] = api::OptionalToJson(value);
            }
        }
        o["count"] = r.count;
        out.push_back(std::move(o));
    }
    return out;
}

Result<boost::json::object> HazardService::Board(api::RequestContext& ctx) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    auto scope = ScopeOf(conn, me);
    auto counts = HazardStore::Board(conn, me.tenant_id, scope, now);
    boost::json::object by_status;
    boost::json::object by_grade;
    boost::json::array cells;
    int64_t active = 0;
    for (const auto& r : counts.by_status_grade) {
        const std::string status = r.keys[0].value_or("");
        const std::string grade = r.keys[1].value_or("");
        by_status[status] = (by_status.contains(status) ? by_status[status].as_int64() : 0) + r.count;
        by_grade[grade] = (by_grade.contains(grade) ? by_grade[grade].as_int64() : 0) + r.count;
        cells.emplace_back(boost::json::object{{"status", status}, {"grade", grade}, {"count", r.count}});
        active += r.count;
    }
    ListQuery q;
    q.tenant_id = me.tenant_id;
    q.scope = scope;
    q.overdue = true;
    q.now = now;
    q.sort = SortOrder::kDueAt;
    q.limit = 20;
    boost::json::array urgent;
    const auto most_overdue = HazardStore::List(conn, q);
    const auto names = NamesForAll(conn, me.tenant_id, most_overdue);
    for (size_t i = 0; i < most_overdue.size(); ++i) urgent.push_back(ToJson(most_overdue[i], now, names[i]));
    boost::json::object out;
    out["active"] = active;
    out["overdue"] = counts.overdue;
    out["by_status"] = std::move(by_status);
    out["by_grade"] = std::move(by_grade);
    out["cells"] = std::move(cells);
    out["most_overdue"] = std::move(urgent);
    out["at"] = Rfc3339(now);
    return out;
}

// ---- metrics ----

Result<boost::json::object> HazardService::Metrics(api::RequestContext& ctx, int64_t from, int64_t to) {
    if (to <= from) return AppError{"invalid_query", "to 须晚于 from / `to` must be after `from`", {}, {}};
    if (to - from > kMaxMetricDays * kDayMs) {
        return AppError{"invalid_query", "统计区间最长 366 天 / The period is at most 366 days", {}, {}};
    }
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    const int64_t now = NowMs(ctx);
    const HazardConfig config = ConfigFor(conn, me.tenant_id);
    const auto scope = ScopeOf(conn, me);
    auto data =
        HazardStore::LoadMetricData(conn, me.tenant_id, scope, from, to, from - config.repeat_window_days * kDayMs);
    auto ratio = [](const Ratio& r) {
        auto pct = r.Percent();
        return boost::json::object{{"numerator", r.numerator},
                                   {"denominator", r.denominator},
                                   {"pct", pct ? boost::json::value(*pct) : boost::json::value(nullptr)}};
    };
    auto opt = [](const std::optional<double>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };

    auto hours = RectificationHours(data.hazards, from, to);
    auto repeats = RepeatHazards(data.hazards, config.repeat_window_days);
    boost::json::object out;
    out["from"] = Rfc3339(from);
    out["to"] = Rfc3339(to);
    out["as_of"] = Rfc3339(std::min(to, now));
    int64_t reported = 0;
    int64_t escalations = 0;
    for (const auto& h : data.hazards) {
        if (h.reported_at >= from && h.reported_at < to) ++reported;
        for (const auto& e : h.events) {
            if (e.type == "escalated" && e.at >= from && e.at < to) ++escalations;
        }
    }
    out["reported"] = reported;
    out["closed"] = static_cast<int64_t>(hours.size());
    out["escalations"] = escalations;
    out["rectification_hours"] = boost::json::object{
        {"count", static_cast<int64_t>(hours.size())}, {"average", opt(Mean(hours))}, {"median", opt(Median(hours))}};
    out["overdue_rate"] = ratio(OverdueRate(data.hazards, from, to, now));
    out["on_time_rate"] = ratio(OnTimeRate(data.hazards, from, to));
    boost::json::array closure;
    for (const auto& [grade, r] : ClosureRateByGrade(data.hazards, from, to, now)) {
        auto o = ratio(r);
        o["grade"] = GradeName(grade);
        const double target = RuleFor(config, grade).closure_target_pct;
        o["target_pct"] = target;
        auto pct = r.Percent();
        o["meets_target"] = pct ? boost::json::value(*pct >= target) : boost::json::value(nullptr);
        closure.push_back(std::move(o));
    }
    out["closure_rate"] = std::move(closure);
    out["repeat_rate"] = ratio(RepeatRate(data.hazards, repeats, from, to));
    out["repeat_window_days"] = config.repeat_window_days;

    // Responsibility penetration per position and department.
    std::map<std::string, Placement> people;
    for (const auto& u : org::OrgStore::AllUsers(conn, me.tenant_id)) people[u.id] = {u.position_id, u.department_id};
    std::map<std::string, std::string> position_names;
    for (const auto& p : org::OrgStore::AllPositions(conn, me.tenant_id)) position_names[p.id] = p.name;
    auto department_names = org::DepartmentNames(conn, me.tenant_id);
    auto rows = [&](GroupBy by, const std::map<std::string, std::string>& names, std::string_view id_key) {
        boost::json::array a;
        for (const auto& r : Penetration(data.hazards, data.work_orders, people, repeats, by, from, to)) {
            boost::json::object o;
            o[id_key] = r.group_id.empty() ? boost::json::value(nullptr) : boost::json::value(r.group_id);
            auto it = names.find(r.group_id);
            o["name"] = it == names.end() ? boost::json::value(nullptr) : boost::json::value(it->second);
            o["escalations_received"] = r.escalations_received;
            o["escalations_caused"] = r.escalations_caused;
            o["work_orders"] = r.work_orders;
            o["work_orders_open"] = r.work_orders_open;
            o["avg_response_hours"] = opt(r.avg_response_hours);
            o["repeat_rate"] = ratio(r.repeat);
            a.push_back(std::move(o));
        }
        return a;
    };
    out["penetration"] =
        boost::json::object{{"by_position", rows(GroupBy::kPosition, position_names, "position_id")},
                            {"by_department", rows(GroupBy::kDepartment, department_names, "department_id")}};
    return out;
}

}  // namespace safeloop::hazards
