#include "modules/hazards/hazard_routes.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <set>

#include "api/json_body.hpp"
#include "core/ids.hpp"
#include "modules/org/org_rules.hpp"

namespace safeloop::hazards {

namespace {

constexpr size_t kMaxTitleChars = 100;
constexpr size_t kMaxDescriptionChars = 2000;
constexpr size_t kMaxCategoryChars = 50;
constexpr size_t kMaxLocationChars = 200;
constexpr size_t kMaxKeyChars = 64;
constexpr size_t kMaxNoteChars = 1000;
constexpr size_t kMaxReasonChars = 500;
constexpr size_t kMaxPhotos = 20;
constexpr size_t kMaxEvidenceItems = 40;
constexpr size_t kMaxOwners = 5000;
constexpr size_t kMaxMajorPlanBytes = 20000;
constexpr size_t kFileIdChars = 64;
constexpr double kMaxCost = 1e12;
constexpr double kMaxAccuracyM = 100000;
constexpr int64_t kDefaultMetricDays = 90;
constexpr int kMaxExtensionList = 1000;

// ---- reading requests ----

http::Response Error(const AppError& e) { return http::Response::Error(e); }

AppError BadQuery(std::string message) { return AppError{"invalid_query", std::move(message), {}, {}}; }

std::optional<std::string> PathUuid(api::RequestContext& ctx, const std::string& name) {
    const auto& raw = ctx.req().Param(name);
    if (!IsUuid(raw)) return std::nullopt;
    return NormalizeUuid(raw);
}

AppError HazardNotFound() { return AppError::NotFound("隐患 / Hazard"); }

Result<int> ReadLimit(const http::Request& req) {
    auto limit = org::ParseLimit(req.Query("limit"));
    if (!limit) return BadQuery("limit 应为 1–1000 的整数 / limit must be a whole number from 1 to 1000");
    return *limit;
}

// Cursors are org::EncodeCursor of their parts: hazards (sort key, code year, code number), work
// orders (opened_at, id).
std::optional<int64_t> ToInt(const std::string& text) {
    int64_t v = 0;
    if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc()) {
        return std::nullopt;
    }
    return v;
}

AppError BadCursor() { return BadQuery("分页游标无效 / The cursor is not valid"); }

Result<std::optional<ListCursor>> ReadListCursor(const http::Request& req) {
    auto cursor = req.Query("cursor");
    if (!cursor || cursor->empty()) return std::optional<ListCursor>();
    auto parts = org::DecodeCursor(*cursor);
    if (!parts || parts->size() != 3) return BadCursor();
    auto key = ToInt((*parts)[0]);
    auto year = ToInt((*parts)[1]);
    auto seq = ToInt((*parts)[2]);
    if (!key || !year || !seq) return BadCursor();
    return std::optional<ListCursor>(ListCursor{*key, *year, *seq});
}

std::string Cursor(const ListCursor& c) {
    return org::EncodeCursor({std::to_string(c.key), std::to_string(c.year), std::to_string(c.seq)});
}

Result<std::optional<std::pair<int64_t, std::string>>> ReadCursor(const http::Request& req) {
    auto cursor = req.Query("cursor");
    if (!cursor || cursor->empty()) return std::optional<std::pair<int64_t, std::string>>();
    auto parts = org::DecodeCursor(*cursor);
    if (!parts || parts->size() != 2) return BadCursor();
    auto key = ToInt((*parts)[0]);
    if (!key) return BadCursor();
    return std::optional<std::pair<int64_t, std::string>>(std::make_pair(*key, (*parts)[1]));
}

std::string Cursor(const std::pair<int64_t, std::string>& next) {
    return org::EncodeCursor({std::to_string(next.first), next.second});
}

Result<bool> ReadBool(const http::Request& req, std::string_view name) {
    auto v = req.Query(name);
    if (!v || v->empty() || *v == "false" || *v == "0") return false;
    if (*v == "true" || *v == "1") return true;
    return BadQuery(std::string(name) + " 应为 true 或 false / " + std::string(name) + " must be true or false");
}

std::vector<std::string> SplitComma(std::string_view text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto part = api::Trim(text.substr(start, comma - start));
        if (!part.empty()) out.push_back(part);
        start = comma + 1;
    }
    return out;
}

Result<std::vector<std::string>> ReadStatuses(const http::Request& req) {
    std::vector<std::string> out;
    if (auto v = req.Query("status")) {
        for (auto& s : SplitComma(*v)) {
            if (!ParseStatus(s)) return BadQuery("未知的状态：" + s + " / unknown status");
            out.push_back(std::move(s));
        }
    }
    return out;
}

Result<std::optional<std::string>> ReadGrade(const http::Request& req) {
    auto v = req.Query("grade");
    if (!v || v->empty()) return std::optional<std::string>();
    if (!ParseGrade(*v)) return BadQuery("grade 应为 red、yellow 或 blue / grade must be red, yellow or blue");
    return std::optional<std::string>(std::string(*v));
}

Result<std::optional<std::string>> ReadQueryUuid(const http::Request& req, std::string_view name) {
    auto v = req.Query(name);
    if (!v || v->empty()) return std::optional<std::string>();
    if (!IsUuid(*v)) return BadQuery(std::string(name) + " 应为 UUID / must be a UUID");
    return std::optional<std::string>(NormalizeUuid(*v));
}

Result<std::optional<int64_t>> ReadQueryTime(const http::Request& req, std::string_view name) {
    auto v = req.Query(name);
    if (!v || v->empty()) return std::optional<int64_t>();
    auto t = ParseRfc3339(*v);
    if (!t) return BadQuery(std::string(name) + " 应为 RFC 3339 时间 / must be an RFC 3339 time");
    return std::optional<int64_t>(ToUnixMillis(*t));
}

std::optional<std::string> ReadFileId(api::FieldReader& f, std::string_view key) {
    return f.OptionalString(key, kFileIdChars);
}

// {"lat","lng","accuracy_m"?}; problems are reported on `key`.
std::optional<GeoPoint> ReadPosition(api::FieldReader& f, std::string_view key) {
    const auto* obj = f.OptionalObject(key);
    if (!obj) return std::nullopt;
    api::FieldReader p(*obj);
    auto lat = p.OptionalDouble("lat", -90, 90);
    auto lng = p.OptionalDouble("lng", -180, 180);
    auto accuracy = p.OptionalDouble("accuracy_m", 0, kMaxAccuracyM);
    if (!p.ok() || !lat || !lng) {
        f.Fail(key,
               "应为 {\"lat\",\"lng\",\"accuracy_m\"}，纬度 −90–90、经度 −180–180 / must be "
               "{\"lat\",\"lng\",\"accuracy_m\"} with lat −90–90 and lng −180–180");
        return std::nullopt;
    }
    return GeoPoint{*lat, *lng, accuracy};
}

std::vector<EvidenceItem> ReadEvidence(api::FieldReader& f, std::string_view key) {
    std::vector<EvidenceItem> out;
    const auto* arr = f.OptionalArray(key, kMaxEvidenceItems);
    if (!arr) return out;
    for (const auto& item : *arr) {
        const auto* obj = item.if_object();
        const boost::json::value* kind = obj ? obj->if_contains("kind") : nullptr;
        const boost::json::value* file = obj ? obj->if_contains("file_id") : nullptr;
        if (!kind || !kind->is_string() || !file || !file->is_string() || !IsValidEvidenceKind(kind->as_string()) ||
            file->as_string().size() > kFileIdChars) {
            f.Fail(key,
                   "每项应为 {\"kind\",\"file_id\"}，kind 由小写字母、数字、下划线组成 / each item must be "
                   "{\"kind\",\"file_id\"} with kind of [a-z0-9_]");
            return {};
        }
        out.push_back({std::string(kind->as_string()), std::string(file->as_string())});
    }
    return out;
}

// An optional code from one of the provincial lists.
std::optional<int64_t> ReadCode(api::FieldReader& f, std::string_view key, const std::vector<CodeEntry>& codes) {
    auto v = f.OptionalInt(key, 0, 100);
    if (v && !IsKnownCode(codes, *v)) {
        f.Fail(key, "不在代码表中 / is not one of the codes");
        return std::nullopt;
    }
    return v;
}

Result<CreateInput> ReadCreate(const boost::json::object& body) {
    api::FieldReader f(body);
    CreateInput in;
    in.id = f.OptionalUuid("id");
    in.title = f.RequiredString("title", kMaxTitleChars);
    in.description = f.OptionalString("description", kMaxDescriptionChars).value_or("");
    in.category = f.OptionalString("category", kMaxCategoryChars).value_or("");
    auto grade = f.OptionalEnum("grade", {"red", "yellow", "blue"});
    if (!f.Present("grade")) f.Fail("grade", "必填 / is required");
    if (grade) in.grade = *ParseGrade(*grade);
    in.assignee_id = f.OptionalUuid("assignee_id");
    if (auto photos = f.OptionalStringArray("photos", kMaxPhotos, kFileIdChars)) in.photos = *photos;
    in.position = ReadPosition(f, "position");
    in.location = f.OptionalString("location", kMaxLocationChars).value_or("");
    in.asset_id = f.OptionalString("asset_id", kMaxKeyChars);
    in.area = f.OptionalString("area", kMaxKeyChars);
    in.change_order_no = f.OptionalString("change_order_no", kMaxKeyChars);
    in.source = ReadCode(f, "source", SourceCodes()).value_or(1);
    in.manage_type = ReadCode(f, "manage_type", ManageTypeCodes()).value_or(kManageDeadline);
    in.hazard_type = ReadCode(f, "hazard_type", HazardTypeCodes());
    in.management_class = ReadCode(f, "management_class", ManagementClassCodes());
    in.occurrence_link = ReadCode(f, "occurrence_link", OccurrenceLinkCodes());
    in.cost = f.OptionalDouble("cost", 0, kMaxCost);
    in.liable_person_id = f.OptionalUuid("liable_person_id");
    if (const auto* plan = f.OptionalObject("major_plan")) {
        auto text = boost::json::serialize(*plan);
        if (text.size() > kMaxMajorPlanBytes) {
            f.Fail("major_plan", "内容过长 / too long");
        } else {
            in.major_plan_json = std::move(text);
        }
    }
    in.evidence = ReadEvidence(f, "evidence");
    in.signature_file_id = ReadFileId(f, "signature_file_id");
    in.note = f.OptionalString("note", kMaxNoteChars).value_or("");
    in.voice_note_file_id = ReadFileId(f, "voice_note_file_id");
    if (!in.evidence.empty() && in.manage_type != kManageOnTheSpot) {
        f.Fail("evidence",
               "只有即查即改（manage_type 0）在上报时附整改证据 / only on-the-spot hazards (manage_type 0) "
               "carry evidence when reported");
    }
    if (!f.ok()) return f.error();
    return in;
}

// ---- answers ----

boost::json::object DetailJson(const Detail& d, int64_t now) {
    auto o = ToJson(d.hazard, now, d.names);
    boost::json::array events;
    for (const auto& e : d.events) events.push_back(ToJson(e));
    boost::json::array rects;
    for (const auto& r : d.rectifications) rects.push_back(ToJson(r));
    boost::json::array extensions;
    for (const auto& x : d.extensions) extensions.push_back(ToJson(x));
    boost::json::array orders;
    for (const auto& w : d.work_orders) orders.push_back(ToJson(w));
    boost::json::array required;
    for (const auto& k : d.required_evidence) required.emplace_back(k);
    o["events"] = std::move(events);
    o["rectifications"] = std::move(rects);
    o["extensions"] = std::move(extensions);
    o["work_orders"] = std::move(orders);
    o["required_evidence"] = std::move(required);
    o["min_video_s"] = d.min_video_s;
    o["voice_note"] = d.voice_note ? boost::json::value(ToJson(*d.voice_note)) : boost::json::value(nullptr);
    boost::json::object people;
    for (const auto& [user_id, name] : d.people) people[user_id] = name;
    o["people"] = std::move(people);
    boost::json::array actions;
    for (const auto& a : d.actions) actions.emplace_back(a);
    o["actions"] = std::move(actions);
    return o;
}

int64_t Now(const api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

// A write's answer: the hazard as GET /hazards/{id} shows it (events, people, …).
http::Response HazardAnswer(api::RequestContext& ctx, HazardService& service, const Result<Hazard>& r) {
    if (!r.ok()) return Error(r.error());
    return http::Response::Json(200, DetailJson(service.DetailAfterWrite(ctx, r.value()), Now(ctx)));
}

// The body of a state-changing request: an object, or nothing at all.
Result<boost::json::object> OptionalBody(api::RequestContext& ctx) {
    if (api::Trim(ctx.req().body).empty()) return boost::json::object{};
    return api::ParseJsonObject(ctx.req());
}

// ---- settings ----

Result<HazardConfig> ReadConfig(const boost::json::object& body, HazardConfig config) {
    api::FieldReader f(body);
    if (const auto* grades = f.OptionalArray("grades", 3)) {
        for (size_t i = 0; i < grades->size(); ++i) {
            const auto* obj = (*grades)[i].if_object();
            std::string at = "grades[" + std::to_string(i) + "]";
            if (!obj) {
                f.Fail(at, "应为对象 / must be an object");
                continue;
            }
            api::FieldReader g(*obj);
            auto grade = g.OptionalEnum("grade", {"red", "yellow", "blue"});
            if (!grade) {
                f.Fail(at + ".grade", "应为 red、yellow 或 blue / must be red, yellow or blue");
                continue;
            }
            auto it = std::find_if(config.grades.begin(), config.grades.end(),
                                   [&](const GradeRule& r) { return r.grade == *ParseGrade(*grade); });
            if (it == config.grades.end()) continue;
            constexpr int64_t kMaxMinutes = 366LL * 24 * 60;
            if (auto v = g.OptionalInt("deadline_min", 1, kMaxMinutes)) it->deadline_min = *v;
            if (auto v = g.OptionalInt("accept_escalation_min", 1, kMaxMinutes)) it->accept_escalation_min = *v;
            if (auto v = g.OptionalInt("submit_escalation_min", 1, kMaxMinutes)) it->submit_escalation_min = *v;
            if (auto v = g.OptionalDouble("closure_target_pct", 0, 100)) it->closure_target_pct = *v;
            if (auto v = g.OptionalBool("on_the_spot_allowed")) it->on_the_spot_allowed = *v;
            for (const auto& [k, msg] : g.ok() ? std::map<std::string, std::string>{} : g.error().fields) {
                f.Fail(at + std::string(".").append(k), msg);
            }
        }
    }
    if (const auto* evidence = f.OptionalArray("evidence", 200)) {
        config.evidence.clear();
        for (size_t i = 0; i < evidence->size(); ++i) {
            const auto* obj = (*evidence)[i].if_object();
            std::string at = "evidence[" + std::to_string(i) + "]";
            if (!obj) {
                f.Fail(at, "应为对象 / must be an object");
                continue;
            }
            api::FieldReader e(*obj);
            auto grade = e.OptionalEnum("grade", {"red", "yellow", "blue"});
            auto category = e.OptionalString("category", kMaxCategoryChars).value_or("*");
            auto kinds = e.OptionalStringArray("kinds", 30, 40);
            if (!grade || !kinds || !e.ok()) {
                f.Fail(at,
                       "应为 {\"grade\",\"category\",\"kinds\":[…]} / must be {\"grade\",\"category\",\"kinds\":[…]}");
                continue;
            }
            config.evidence.push_back({*ParseGrade(*grade), category, *kinds});
        }
    }
    if (auto v = f.OptionalInt("archive_after_days", 1, 3650)) config.archive_after_days = *v;
    if (auto v = f.OptionalDouble("min_video_s", 0, 600)) config.min_video_s = *v;
    if (auto v = f.OptionalInt("repeat_window_days", 1, 3650)) config.repeat_window_days = *v;
    if (auto v = f.OptionalInt("code_utc_offset_min", -720, 840)) config.code_utc_offset_min = *v;
    if (f.Present("deputy_gm_ids")) {
        auto ids = f.OptionalStringArray("deputy_gm_ids", 10, 36);
        if (ids) {
            config.deputy_gm_ids.clear();
            for (const auto& id : *ids) {
                if (!IsUuid(id)) {
                    f.Fail("deputy_gm_ids", "应为用户 id 列表 / must be a list of user ids");
                    break;
                }
                config.deputy_gm_ids.push_back(NormalizeUuid(id));
            }
        }
    }
    if (!f.ok()) return f.error();
    return config;
}

boost::json::object OwnersJson(const std::vector<Owner>& owners) {
    boost::json::array a;
    for (const auto& o : owners)
        a.emplace_back(boost::json::object{{"kind", o.kind}, {"key", o.key}, {"user_id", o.user_id}});
    return boost::json::object{{"owners", std::move(a)}};
}

}  // namespace

void RegisterHazardRoutes(api::Router& router, HazardService& service) {
    // ---- report, read ----
    router.Add("POST", "/api/v1/hazards", perm::kReport, [&service](api::RequestContext& ctx) {
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        auto input = ReadCreate(*body);
        if (!input.ok()) return Error(input.error());
        auto r = service.Create(ctx, *input);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(r->created ? 201 : 200, DetailJson(service.DetailAfterCreate(ctx, *r), Now(ctx)));
    });

    router.Add("GET", "/api/v1/hazards", perm::kRead, [&service](api::RequestContext& ctx) {
        const auto& req = ctx.req();
        ListInput in;
        auto limit = ReadLimit(req);
        if (!limit.ok()) return Error(limit.error());
        in.limit = *limit;
        auto statuses = ReadStatuses(req);
        if (!statuses.ok()) return Error(statuses.error());
        in.statuses = *statuses;
        auto grade = ReadGrade(req);
        if (!grade.ok()) return Error(grade.error());
        in.grade = *grade;
        auto overdue = ReadBool(req, "overdue");
        if (!overdue.ok()) return Error(overdue.error());
        in.overdue = *overdue;
        auto mine = ReadBool(req, "mine");
        if (!mine.ok()) return Error(mine.error());
        in.mine = *mine;
        auto to_verify = ReadBool(req, "to_verify");
        if (!to_verify.ok()) return Error(to_verify.error());
        in.to_verify = *to_verify;
        if (auto sort = req.Query("sort"); sort && !sort->empty()) {
            if (*sort == "due_at") {
                in.sort = SortOrder::kDueAt;
            } else if (*sort != "reported_at" && *sort != "-reported_at") {
                return Error(BadQuery("sort 可为 due_at 或 reported_at / sort may be due_at or reported_at"));
            }
        }
        for (auto [name, target] :
             {std::pair{"assignee_id", &in.assignee_id}, std::pair{"reporter_id", &in.reporter_id},
              std::pair{"department_id", &in.department_id}}) {
            auto v = ReadQueryUuid(req, name);
            if (!v.ok()) return Error(v.error());
            *target = *v;
        }
        if (auto v = req.Query("category"); v && !v->empty()) in.category = std::string(*v);
        if (auto v = req.Query("code"); v && !v->empty()) in.code = std::string(*v);
        auto cursor = ReadListCursor(req);
        if (!cursor.ok()) return Error(cursor.error());
        in.after = *cursor;
        auto page = service.List(ctx, in);
        if (!page.ok()) return Error(page.error());
        const int64_t now = Now(ctx);
        boost::json::array items;
        for (size_t i = 0; i < page->items.size(); ++i) items.push_back(ToJson(page->items[i], now, page->names[i]));
        boost::json::object out;
        out["items"] = std::move(items);
        out["next_cursor"] = page->next ? boost::json::value(Cursor(*page->next)) : boost::json::value(nullptr);
        return http::Response::Json(200, out);
    });

    router.Add("GET", "/api/v1/hazards/stats", perm::kRead, [&service](api::RequestContext& ctx) {
        const auto& req = ctx.req();
        StatsInput in;
        static const std::set<std::string, std::less<>> kGroups = {"department", "grade", "status", "category"};
        auto group = req.Query("group_by");
        in.group_by = SplitComma(group && !group->empty() ? *group : std::string_view("status"));
        std::set<std::string> seen;
        for (const auto& g : in.group_by) {
            if (!kGroups.contains(g) || !seen.insert(g).second) {
                return Error(
                    BadQuery("group_by 可组合 department、grade、status、category / group_by combines "
                             "department, grade, status, category"));
            }
        }
        if (in.group_by.empty()) return Error(BadQuery("group_by 不能为空 / group_by must not be empty"));
        auto statuses = ReadStatuses(req);
        if (!statuses.ok()) return Error(statuses.error());
        in.statuses = *statuses;
        auto grade = ReadGrade(req);
        if (!grade.ok()) return Error(grade.error());
        in.grade = *grade;
        auto overdue = ReadBool(req, "overdue");
        if (!overdue.ok()) return Error(overdue.error());
        in.overdue = *overdue;
        auto from = ReadQueryTime(req, "from");
        if (!from.ok()) return Error(from.error());
        auto to = ReadQueryTime(req, "to");
        if (!to.ok()) return Error(to.error());
        in.from = *from;
        in.to = *to;
        auto r = service.Stats(ctx, in);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, *r);
    });

    router.Add("GET", "/api/v1/hazards/board", perm::kRead, [&service](api::RequestContext& ctx) {
        auto r = service.Board(ctx);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, *r);
    });

    router.Add("GET", "/api/v1/hazards/metrics", perm::kMetrics, [&service](api::RequestContext& ctx) {
        auto from = ReadQueryTime(ctx.req(), "from");
        if (!from.ok()) return Error(from.error());
        auto to = ReadQueryTime(ctx.req(), "to");
        if (!to.ok()) return Error(to.error());
        const int64_t end = to->value_or(Now(ctx));
        const int64_t start = from->value_or(end - kDefaultMetricDays * kDayMs);
        auto r = service.Metrics(ctx, start, end);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, *r);
    });

    router.Add("GET", "/api/v1/hazards/{id}", perm::kRead, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto d = service.Get(ctx, *id);
        if (!d.ok()) return Error(d.error());
        return http::Response::Json(200, DetailJson(*d, Now(ctx)));
    });

    // ---- the loop ----
    router.Add("POST", "/api/v1/hazards/{id}/assign", perm::kAssign, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        auto assignee = f.OptionalUuid("assignee_id");
        if (!f.Present("assignee_id")) f.Fail("assignee_id", "必填 / is required");
        auto reason = f.OptionalString("reason", kMaxReasonChars);
        if (!f.ok()) return Error(f.error());
        return HazardAnswer(ctx, service, service.Assign(ctx, *id, *assignee, reason));
    });

    router.Add("POST", "/api/v1/hazards/{id}/reassign", perm::kAssign, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        auto assignee = f.OptionalUuid("assignee_id");
        if (!f.Present("assignee_id")) f.Fail("assignee_id", "必填 / is required");
        auto reason = f.RequiredString("reason", kMaxReasonChars);
        if (!f.ok()) return Error(f.error());
        return HazardAnswer(ctx, service, service.Reassign(ctx, *id, *assignee, reason));
    });

    router.Add("POST", "/api/v1/hazards/{id}/accept", perm::kHandle, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        return HazardAnswer(ctx, service, service.Accept(ctx, *id));
    });

    router.Add("POST", "/api/v1/hazards/{id}/rectify", perm::kHandle, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        RectifyInput in;
        in.evidence = ReadEvidence(f, "evidence");
        in.position = ReadPosition(f, "position");
        in.signature_file_id = ReadFileId(f, "signature_file_id");
        in.note = f.OptionalString("note", kMaxNoteChars).value_or("");
        if (!f.ok()) return Error(f.error());
        return HazardAnswer(ctx, service, service.Rectify(ctx, *id, in));
    });

    router.Add("POST", "/api/v1/hazards/{id}/verify", perm::kVerify, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        auto result = f.OptionalEnum("result", {"pass", "fail"});
        if (!f.Present("result")) f.Fail("result", "必填：pass 或 fail / required: pass or fail");
        auto comment = f.OptionalString("comment", kMaxReasonChars).value_or("");
        if (!f.ok()) return Error(f.error());
        return HazardAnswer(ctx, service, service.Verify(ctx, *id, *result == "pass", comment));
    });

    // ---- extensions (no free "suspend") ----
    router.Add("POST", "/api/v1/hazards/{id}/extensions", perm::kHandle, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(HazardNotFound());
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        auto reason = f.RequiredString("reason", kMaxReasonChars);
        auto new_due = f.OptionalTime("new_due_at");
        if (!f.Present("new_due_at")) f.Fail("new_due_at", "必填 / is required");
        if (!f.ok()) return Error(f.error());
        auto r = service.RequestExtension(ctx, *id, reason, ToUnixMillis(*new_due));
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(201, ToJson(*r));
    });

    router.Add("POST", "/api/v1/hazards/{id}/extensions/{extension_id}/decide", perm::kAssign,
               [&service](api::RequestContext& ctx) {
                   auto id = PathUuid(ctx, "id");
                   if (!id) return Error(HazardNotFound());
                   auto extension_id = PathUuid(ctx, "extension_id");
                   if (!extension_id) return Error(AppError::NotFound("延期申请 / Extension request"));
                   auto body = api::ParseJsonObject(ctx.req());
                   if (!body.ok()) return Error(body.error());
                   api::FieldReader f(*body);
                   auto decision = f.OptionalEnum("decision", {"approve", "refuse"});
                   if (!f.Present("decision"))
                       f.Fail("decision", "必填：approve 或 refuse / required: approve or refuse");
                   auto comment = f.OptionalString("comment", kMaxReasonChars);
                   if (!f.ok()) return Error(f.error());
                   auto r = service.DecideExtension(ctx, *id, *extension_id, *decision == "approve", comment);
                   if (!r.ok()) return Error(r.error());
                   return http::Response::Json(200, ToJson(*r));
               });

    router.Add("GET", "/api/v1/hazards/extensions", perm::kRead, [&service](api::RequestContext& ctx) {
        const auto& req = ctx.req();
        std::optional<std::string> status;
        if (auto v = req.Query("status"); v && !v->empty()) {
            if (*v != "pending" && *v != "approved" && *v != "refused") {
                return Error(
                    BadQuery("status 可为 pending、approved、refused / status may be pending, approved, refused"));
            }
            status = std::string(*v);
        }
        auto mine = ReadBool(req, "mine");
        if (!mine.ok()) return Error(mine.error());
        auto limit = ReadLimit(req);
        if (!limit.ok()) return Error(limit.error());
        auto r = service.ListExtensions(ctx, status, *mine, std::min(*limit, kMaxExtensionList));
        if (!r.ok()) return Error(r.error());
        boost::json::array items;
        for (const auto& x : *r) items.push_back(ToJson(x));
        return http::Response::Json(200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
    });

    // ---- settings ----
    router.Add("GET", "/api/v1/hazards/settings", perm::kRead, [&service](api::RequestContext& ctx) {
        auto r = service.GetConfig(ctx);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, ToJson(*r));
    });

    router.Add("PUT", "/api/v1/hazards/settings", perm::kConfigure, [&service](api::RequestContext& ctx) {
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        auto current = service.GetConfig(ctx);
        if (!current.ok()) return Error(current.error());
        auto config = ReadConfig(*body, *current);
        if (!config.ok()) return Error(config.error());
        auto r = service.SaveConfig(ctx, *config);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, ToJson(*r));
    });

    router.Add("GET", "/api/v1/hazards/owners", perm::kRead, [&service](api::RequestContext& ctx) {
        auto r = service.GetOwners(ctx);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, OwnersJson(*r));
    });

    router.Add("PUT", "/api/v1/hazards/owners", perm::kConfigure, [&service](api::RequestContext& ctx) {
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        const auto* arr = f.OptionalArray("owners", kMaxOwners);
        if (!f.Present("owners")) f.Fail("owners", "必填 / is required");
        std::vector<Owner> owners;
        if (arr) {
            for (size_t i = 0; i < arr->size(); ++i) {
                const auto* obj = (*arr)[i].if_object();
                if (!obj) {
                    f.Fail(
                        "owners",
                        "每项应为 {\"kind\",\"key\",\"user_id\"} / each item must be {\"kind\",\"key\",\"user_id\"}");
                    break;
                }
                api::FieldReader o(*obj);
                auto kind = o.OptionalEnum("kind", {"asset", "area"});
                auto key = o.OptionalString("key", kMaxKeyChars);
                auto user = o.OptionalUuid("user_id");
                if (!kind || !key || key->empty() || !user || !o.ok()) {
                    f.Fail("owners[" + std::to_string(i) + "]",
                           "应为 {\"kind\":\"asset\"/\"area\",\"key\",\"user_id\"} / must be "
                           "{\"kind\":\"asset\"/\"area\",\"key\",\"user_id\"}");
                    continue;
                }
                owners.push_back({*kind, *key, *user});
            }
        }
        if (!f.ok()) return Error(f.error());
        auto r = service.SaveOwners(ctx, owners);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, OwnersJson(*r));
    });

    // ---- cross-department work orders ----
    router.Add("GET", "/api/v1/work-orders", perm::kWorkOrdersRead, [&service](api::RequestContext& ctx) {
        const auto& req = ctx.req();
        std::optional<std::string> status;
        if (auto v = req.Query("status"); v && !v->empty()) {
            if (*v != "open" && *v != "closed")
                return Error(BadQuery("status 可为 open 或 closed / status may be open or closed"));
            status = std::string(*v);
        }
        auto hazard = ReadQueryUuid(req, "hazard_id");
        if (!hazard.ok()) return Error(hazard.error());
        auto mine = ReadBool(req, "mine");
        if (!mine.ok()) return Error(mine.error());
        auto limit = ReadLimit(req);
        if (!limit.ok()) return Error(limit.error());
        auto cursor = ReadCursor(req);
        if (!cursor.ok()) return Error(cursor.error());
        auto r = service.ListWorkOrders(ctx, status, *hazard, *mine, *cursor, *limit + 1);
        if (!r.ok()) return Error(r.error());
        auto& orders = *r;
        std::optional<std::string> next;
        if (static_cast<int>(orders.size()) > *limit) {
            orders.resize(static_cast<size_t>(*limit));
            next = Cursor({orders.back().opened_at, orders.back().id});
        }
        boost::json::array items;
        for (const auto& w : orders) items.push_back(ToJson(w));
        return http::Response::Json(
            200, boost::json::object{{"items", std::move(items)}, {"next_cursor", api::OptionalToJson(next)}});
    });

    router.Add("GET", "/api/v1/work-orders/{id}", perm::kWorkOrdersRead, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(AppError::NotFound("协同工单 / Work order"));
        auto r = service.GetWorkOrder(ctx, *id);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, ToJson(*r));
    });

    router.Add("POST", "/api/v1/work-orders/{id}/close", perm::kWorkOrdersClose, [&service](api::RequestContext& ctx) {
        auto id = PathUuid(ctx, "id");
        if (!id) return Error(AppError::NotFound("协同工单 / Work order"));
        auto body = OptionalBody(ctx);
        if (!body.ok()) return Error(body.error());
        api::FieldReader f(*body);
        auto resolution = f.RequiredString("resolution", kMaxReasonChars);
        if (!f.ok()) return Error(f.error());
        auto r = service.CloseWorkOrder(ctx, *id, resolution);
        if (!r.ok()) return Error(r.error());
        return http::Response::Json(200, ToJson(*r));
    });
}

std::map<std::string, boost::json::object> DetailsJson(api::RequestContext& ctx, HazardService& service,
                                                       const std::vector<std::string>& ids) {
    std::map<std::string, boost::json::object> out;
    if (!ctx.user().Has(perm::kRead)) return out;
    const int64_t now = Now(ctx);
    for (const auto& d : service.GetMany(ctx, ids)) out.emplace(d.hazard.id, DetailJson(d, now));
    return out;
}

}  // namespace safeloop::hazards
