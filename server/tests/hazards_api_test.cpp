// The hazard closed loop over HTTP (issue 4, CONTRACT.md) on SQLite and PostgreSQL: idempotent create,
// the whole loop with evidence, escalation at 15 min and 2 h through a real local SMS gateway, restart
// safety, reassignment, extensions, on-the-spot closure, lists, stats, board, metrics, data scope,
// settings and concurrent codes.

#include <boost/json.hpp>
#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "fake_gateway.hpp"
#include "hazards_media.hpp"
#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

class HazardsApi : public ApiTest {
protected:
    // Uploads bytes as `who`; returns the file id.
    std::string Upload(const TestClient& who, const std::string& bytes, const std::string& type) {
        auto r = who.Request("POST", "/api/v1/files", bytes, type);
        EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
        return std::string(r.Json().at("id").as_string());
    }

    json::object Create(const TestClient& who, json::object body, int expected = 201) {
        auto r = who.Post("/api/v1/hazards", json::value(body));
        EXPECT_EQ(r.status, expected) << r.body;
        return r.Json().is_object() ? r.Json().as_object() : json::object{};
    }

    json::object Get(const TestClient& who, const std::string& id) {
        auto r = who.Get("/api/v1/hazards/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().as_object();
    }

    std::string Mobile(const std::string& login) {
        auto r = Client().As("admin").Get("/api/v1/users?login=" + login);
        return std::string(r.Json().at("items").at(0).at("mobile").as_string());
    }

    void Advance(int64_t seconds) {
        auto r = Client().As("admin").Post("/api/v1/test/clock", json::value{{"advance_s", seconds}});
        ASSERT_EQ(r.status, 200) << r.body;
    }

    // SMS requests the gateway received about this hazard.
    static std::vector<json::object> SmsAbout(const FakeGateway& gw, const std::string& hazard_id) {
        std::vector<json::object> out;
        for (const auto& req : gw.Requests()) {
            boost::system::error_code ec;
            auto v = json::parse(req.body, ec);
            if (ec || !v.is_object()) continue;
            const auto* ref = v.as_object().if_contains("ref");
            if (ref && ref->is_string() && ref->as_string() == hazard_id) out.push_back(v.as_object());
        }
        return out;
    }

    static std::vector<std::string> EventTypes(const json::object& hazard) {
        std::vector<std::string> out;
        for (const auto& e : hazard.at("events").as_array()) out.emplace_back(e.at("type").as_string());
        return out;
    }

    static size_t Count(const std::vector<std::string>& v, const std::string& what) {
        return static_cast<size_t>(std::count(v.begin(), v.end(), what));
    }

    void UseGateway(const FakeGateway& gw) {
        auto r = Client().As("admin").Put("/api/v1/settings/notify", json::value{{"sms", {{"url", gw.Url("/sms")}}}});
        ASSERT_EQ(r.status, 200) << r.body;
    }
};

bool AllDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YH-<4-digit year>-<6 digits>
bool IsHazardCode(std::string_view code) {
    return code.size() == 14 && code.substr(0, 3) == "YH-" && AllDigits(code.substr(3, 4)) && code[7] == '-' &&
           AllDigits(code.substr(8));
}

bool IsSha256Hex(std::string_view s) {
    return s.size() == 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

json::object Blue(std::string title) {
    return json::object{{"title", std::move(title)}, {"description", "测试"}, {"category", "电气"}, {"grade", "blue"}};
}

TEST_P(HazardsApi, SameClientIdTwiceIsOneHazard) {
    auto welder = Client().As("welder1");
    const std::string id = "3f1c2a4e-8b7d-4c6e-9a1f-0d2e3c4b5a69";  // a v4 UUID from the phone
    auto body = Blue("焊机接地线破损");
    body["id"] = id;
    auto first = Create(welder, body, 201);
    EXPECT_EQ(first.at("id").as_string(), id);
    EXPECT_TRUE(IsHazardCode(first.at("code").as_string())) << first.at("code");
    EXPECT_EQ(first.at("status").as_string(), "assigned");
    EXPECT_EQ(first.at("assignee_id").as_string(), server().UserId("leader1"));  // the reporter's team leader
    for (const char* key : {"id", "code", "status", "grade", "assignee_id", "reported_at", "due_at"}) {
        EXPECT_TRUE(first.contains(key)) << key;
    }
    body["title"] = "changed on the second send";
    auto second = Create(welder, body, 200);
    EXPECT_EQ(second.at("id"), first.at("id"));
    EXPECT_EQ(second.at("code"), first.at("code"));
    EXPECT_EQ(second.at("title").as_string(), "焊机接地线破损");
    // Upper-case spelling of the same UUID is the same hazard.
    std::string upper = id;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    body["id"] = upper;
    EXPECT_EQ(Create(welder, body, 200).at("id").as_string(), id);
    auto list = Client().As("admin").Get("/api/v1/hazards?code=" + std::string(first.at("code").as_string()));
    EXPECT_EQ(list.Json().at("items").as_array().size(), 1u);
    auto detail = Get(welder, id);
    EXPECT_EQ(EventTypes(detail), (std::vector<std::string>{"reported", "assigned"}));
}

TEST_P(HazardsApi, BadReportsAreRefusedWithTheirFields) {
    auto welder = Client().As("welder1");
    auto r = welder.Post("/api/v1/hazards", json::value{{"grade", "purple"}, {"photos", json::array{"nope"}}});
    EXPECT_EQ(r.status, 422);
    auto fields = r.Json().at("error").at("fields").as_object();
    EXPECT_TRUE(fields.contains("title"));
    EXPECT_TRUE(fields.contains("grade"));
    auto body = Blue("x");
    body["photos"] = json::array{std::string(64, 'a')};
    r = welder.Post("/api/v1/hazards", json::value(body));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.Json().at("error").at("fields").as_object().contains("photos"));
    body = Blue("x");
    body["id"] = "not-a-uuid";
    EXPECT_EQ(welder.Post("/api/v1/hazards", json::value(body)).status, 422);
    EXPECT_EQ(welder.Get("/api/v1/hazards/01890000-0000-7000-8000-000000000000").status, 404);
    EXPECT_EQ(welder.Get("/api/v1/hazards/not-an-id").status, 404);
}

TEST_P(HazardsApi, TheWholeLoopWithEvidenceReworkAndVerification) {
    auto welder = Client().As("welder1");
    auto leader = Client().As("leader1");
    auto safety = Client().As("safety");
    const std::string photo = Upload(welder, MakeJpeg(320, 240, 1), "image/jpeg");
    auto body = json::object{
        {"title", "行车钢丝绳断丝"},    {"description", "5号行车主钢丝绳一个捻距内断丝6根"},
        {"category", "设备"},           {"grade", "red"},
        {"photos", json::array{photo}}, {"position", {{"lat", 30.03}, {"lng", 120.58}, {"accuracy_m", 6}}}};
    auto h = Create(welder, body);
    const std::string id(h.at("id").as_string());
    auto reported = ParseRfc3339(std::string(h.at("reported_at").as_string()));
    auto due = ParseRfc3339(std::string(h.at("due_at").as_string()));
    ASSERT_TRUE(reported && due);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::minutes>(*due - *reported).count(), 120);  // red: 2 h
    EXPECT_EQ(h.at("level").as_int64(), 1);                                                      // 重大

    // Only the assignee accepts.
    EXPECT_EQ(welder.Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 403);
    auto accepted = leader.Post("/api/v1/hazards/" + id + "/accept", std::string());
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(accepted.Json().at("status").as_string(), "accepted");
    EXPECT_EQ(leader.Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 409);

    // Nothing supplied: every required kind is named.
    auto missing = leader.Post("/api/v1/hazards/" + id + "/rectify", json::value{{"note", "已更换"}});
    ASSERT_EQ(missing.status, 422) << missing.body;
    EXPECT_EQ(missing.ErrorCode(), "evidence_missing");
    std::set<std::string> kinds;
    const json::value missing_json = missing.Json();
    for (const auto& k : missing_json.at("error").at("missing").as_array()) kinds.insert(std::string(k.as_string()));
    bool has_video_kind = false;
    for (const auto& k : kinds) has_video_kind = has_video_kind || k.find("video") != std::string::npos;
    EXPECT_TRUE(has_video_kind) << "a red hazard requires a video kind";
    EXPECT_TRUE(kinds.count("after_photo"));
    EXPECT_TRUE(kinds.count("gps_position"));
    EXPECT_TRUE(kinds.count("leader_signature"));

    // Evidence: photos, screenshots, the part label, a real 10 s video first (refused), then 20 s.
    auto image = [&](int seed) { return json::value(Upload(leader, MakeJpeg(320, 240, seed), "image/jpeg")); };
    const std::string short_video = Upload(leader, MakeMjpegVideo(10, 7), "video/x-matroska");
    const std::string long_video = Upload(leader, MakeMjpegVideo(20, 8), "video/x-matroska");
    const std::string signature = Upload(leader, MakePng(300, 120, 9), "image/png");
    // The files module measured the real duration of what was uploaded.
    auto short_meta = leader.Get("/api/v1/files/" + short_video + "/meta");
    ASSERT_EQ(short_meta.status, 200) << short_meta.body;
    const json::value short_meta_json = short_meta.Json();
    const auto* meta = short_meta_json.as_object().if_contains("meta");
    const json::value* seconds = meta && meta->is_object() ? meta->as_object().if_contains("duration_s") : nullptr;
    ASSERT_TRUE(seconds && seconds->is_number()) << short_meta.body;
    EXPECT_NEAR(seconds->to_number<double>(), 10.0, 0.5);
    json::array evidence{
        json::object{{"kind", "before_photo"}, {"file_id", image(11)}},
        json::object{{"kind", "after_photo"}, {"file_id", image(12)}},
        json::object{{"kind", "param_before_screenshot"}, {"file_id", image(13)}},
        json::object{{"kind", "param_after_screenshot"}, {"file_id", image(14)}},
        json::object{{"kind", "part_label_photo"}, {"file_id", image(15)}},
    };
    json::array with_short = evidence;
    with_short.push_back(json::object{{"kind", "operator_video"}, {"file_id", short_video}});
    json::object rectify{{"evidence", with_short},
                         {"position", {{"lat", 30.03}, {"lng", 120.58}, {"accuracy_m", 5}}},
                         {"signature_file_id", signature},
                         {"note", "更换钢丝绳，试吊合格"}};
    auto too_short = leader.Post("/api/v1/hazards/" + id + "/rectify", json::value(rectify));
    ASSERT_EQ(too_short.status, 422) << too_short.body;
    EXPECT_EQ(too_short.ErrorCode(), "evidence_missing");
    EXPECT_EQ(too_short.Json().at("error").at("missing"), (json::array{"operator_video"}));
    EXPECT_EQ(too_short.Json().at("error").at("problems").at(0).at("code").as_string(), "video_too_short");

    json::array with_long = evidence;
    with_long.push_back(json::object{{"kind", "operator_video"}, {"file_id", long_video}});
    rectify["evidence"] = with_long;
    auto submitted = leader.Post("/api/v1/hazards/" + id + "/rectify", json::value(rectify));
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    EXPECT_EQ(submitted.Json().at("status").as_string(), "submitted");

    // The safety officer verifies: a failure needs a reason and sends it back.
    EXPECT_EQ(leader.Post("/api/v1/hazards/" + id + "/verify", json::value{{"result", "pass"}}).status, 403);
    EXPECT_EQ(safety.Post("/api/v1/hazards/" + id + "/verify", json::value{{"result", "fail"}}).status, 422);
    auto failed = safety.Post("/api/v1/hazards/" + id + "/verify",
                              json::value{{"result", "fail"}, {"comment", "未见更换部件标签"}});
    ASSERT_EQ(failed.status, 200) << failed.body;
    EXPECT_EQ(failed.Json().at("status").as_string(), "rework");
    EXPECT_EQ(failed.Json().at("rework_rounds").as_int64(), 1);

    auto again = leader.Post("/api/v1/hazards/" + id + "/rectify", json::value(rectify));
    ASSERT_EQ(again.status, 200) << again.body;
    auto passed =
        safety.Post("/api/v1/hazards/" + id + "/verify", json::value{{"result", "pass"}, {"comment", "合格"}});
    ASSERT_EQ(passed.status, 200) << passed.body;
    EXPECT_EQ(passed.Json().at("status").as_string(), "closed");
    EXPECT_EQ(passed.Json().at("acceptance").at("by").as_string(), server().UserId("safety"));
    EXPECT_EQ(passed.Json().at("provincial_state").as_int64(), 9);
    EXPECT_EQ(safety.Post("/api/v1/hazards/" + id + "/verify", json::value{{"result", "pass"}}).status, 409);

    auto detail = Get(welder, id);
    EXPECT_EQ(EventTypes(detail), (std::vector<std::string>{"reported", "assigned", "accepted", "submitted", "rework",
                                                            "submitted", "closed"}));
    for (const auto& e : detail.at("events").as_array()) EXPECT_TRUE(ParseRfc3339(std::string(e.at("at").as_string())));
    const auto& rects = detail.at("rectifications").as_array();
    ASSERT_EQ(rects.size(), 2u);
    EXPECT_EQ(rects[0].at("result").as_string(), "fail");
    EXPECT_EQ(rects[1].at("result").as_string(), "pass");
    const auto& sig = rects[1].at("signature").as_object();
    EXPECT_EQ(sig.at("signed_by").as_string(), server().UserId("leader1"));
    EXPECT_TRUE(IsSha256Hex(sig.at("content_sha256").as_string()));
    // The welder may not look the safety officer up, but the detail names everyone it mentions.
    const auto& people = detail.at("people").as_object();
    auto safety_user = Client().As("admin").Get("/api/v1/users?login=safety").Json().at("items").at(0);
    ASSERT_TRUE(people.contains(server().UserId("safety")));
    EXPECT_EQ(people.at(server().UserId("safety")), safety_user.at("name"));
    for (const auto& e : detail.at("events").as_array()) {
        if (e.at("actor_id").is_string()) {
            EXPECT_TRUE(people.contains(e.at("actor_id").as_string())) << e;
        }
    }
}

TEST_P(HazardsApi, EscalatesOnceAtFifteenMinutesAndOnceAtTwoHours) {
    FakeGateway gw;
    UseGateway(gw);
    auto welder = Client().As("welder1");
    auto h = Create(welder, Blue("焊把线绝缘层老化开裂"));
    const std::string id(h.at("id").as_string());
    const std::string director_mobile = Mobile("director1");
    const std::string vp_mobile = Mobile("vp");

    Advance(14 * 60);
    EXPECT_TRUE(SmsAbout(gw, id).empty());
    Advance(2 * 60);  // 16 min after assignment, not accepted
    ASSERT_TRUE(gw.WaitForCount(1, std::chrono::seconds(5)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto sms = SmsAbout(gw, id);
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].at("to").as_string(), director_mobile);  // leader1's direct supervisor
    EXPECT_EQ(sms[0].at("ref").as_string(), id);
    auto types = EventTypes(Get(welder, id));
    EXPECT_EQ(Count(types, "escalated"), 1u);

    Advance(30 * 60);
    EXPECT_EQ(SmsAbout(gw, id).size(), 1u);  // nothing new between the two thresholds
    Advance(75 * 60);                        // 2 h 1 min after assignment, nothing submitted
    for (int i = 0; i < 50 && SmsAbout(gw, id).size() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    sms = SmsAbout(gw, id);
    ASSERT_EQ(sms.size(), 2u);
    EXPECT_EQ(sms[1].at("to").as_string(), vp_mobile);
    auto admin = Client().As("admin");
    auto orders = admin.Get("/api/v1/work-orders?hazard_id=" + id);
    ASSERT_EQ(orders.status, 200) << orders.body;
    ASSERT_EQ(orders.Json().at("items").as_array().size(), 1u);
    auto order = orders.Json().at("items").at(0).as_object();
    EXPECT_EQ(order.at("status").as_string(), "open");
    EXPECT_EQ(order.at("owner_id").as_string(), server().UserId("director1"));
    EXPECT_EQ(order.at("cc_user_ids").at(0).as_string(), server().UserId("vp"));

    // Exactly once: more time passes, nothing is sent again.
    Advance(3 * 3600);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(SmsAbout(gw, id).size(), 2u);
    auto detail = Get(admin, id);
    EXPECT_EQ(Count(EventTypes(detail), "escalated"), 2u);
    EXPECT_EQ(detail.at("escalation_count").as_int64(), 2);
    for (const auto& e : detail.at("events").as_array()) {
        if (e.at("type") != "escalated") continue;
        EXPECT_FALSE(e.at("data").at("recipients").as_array().empty());
    }

    // The work order's owner closes it; the hazard's history says so.
    auto director = Client().As("director1");
    EXPECT_EQ(welder
                  .Post("/api/v1/work-orders/" + std::string(order.at("id").as_string()) + "/close",
                        json::value{{"resolution", "x"}})
                  .status,
              403);
    auto closed = director.Post("/api/v1/work-orders/" + std::string(order.at("id").as_string()) + "/close",
                                json::value{{"resolution", "已协调机修班更换焊把线"}});
    ASSERT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(closed.Json().at("status").as_string(), "closed");
    EXPECT_EQ(Count(EventTypes(Get(admin, id)), "work_order_closed"), 1u);
}

TEST_P(HazardsApi, AcceptingInTimeStopsTheFirstEscalation) {
    FakeGateway gw;
    UseGateway(gw);
    auto h = Create(Client().As("welder1"), Blue("气瓶未固定防倾倒"));
    const std::string id(h.at("id").as_string());
    Advance(5 * 60);
    ASSERT_EQ(Client().As("leader1").Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 200);
    Advance(20 * 60);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(SmsAbout(gw, id).empty());
}

TEST_P(HazardsApi, ReassignmentRestartsTheClocksForTheNewAssignee) {
    FakeGateway gw;
    UseGateway(gw);
    auto leader = Client().As("leader1");
    auto h = Create(Client().As("welder1"), Blue("焊接防护屏破损"));
    const std::string id(h.at("id").as_string());
    Advance(10 * 60);
    const std::string welder2 = server().UserId("welder2");
    EXPECT_EQ(leader.Post("/api/v1/hazards/" + id + "/reassign", json::value{{"assignee_id", welder2}}).status, 422);
    auto r = leader.Post("/api/v1/hazards/" + id + "/reassign",
                         json::value{{"assignee_id", welder2}, {"reason", "刘洋熟悉该焊机"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("assignee_id").as_string(), welder2);
    EXPECT_EQ(r.Json().at("status").as_string(), "assigned");
    Advance(10 * 60);  // 20 min after the report, 10 after the reassignment
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(SmsAbout(gw, id).empty());
    Advance(6 * 60);  // 16 min after the reassignment
    for (int i = 0; i < 50 && SmsAbout(gw, id).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto sms = SmsAbout(gw, id);
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].at("to").as_string(), Mobile("leader1"));  // welder2's supervisor
    auto types = EventTypes(Get(leader, id));
    EXPECT_EQ(Count(types, "reassigned"), 1u);
}

TEST_P(HazardsApi, EscalationSurvivesARestartBetweenSchedulingAndDue) {
    FakeGateway gw;
    UseGateway(gw);
    auto h = Create(Client().As("welder1"), Blue("动火点未配灭火器"));
    const std::string id(h.at("id").as_string());
    // A second server on the same database stands in for the restarted one; the first never moves its
    // clock, so only the second can find the check due.
    app::App restarted(server().config());
    const uint16_t port = restarted.Start();
    TestClient other("http://127.0.0.1:" + std::to_string(port));
    other.Login("admin");
    ASSERT_EQ(other.Post("/api/v1/test/clock", json::value{{"advance_s", 16 * 60}}).status, 200);
    for (int i = 0; i < 50 && SmsAbout(gw, id).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto sms = SmsAbout(gw, id);
    ASSERT_EQ(sms.size(), 1u);
    EXPECT_EQ(sms[0].at("to").as_string(), Mobile("director1"));
    restarted.Stop();
}

TEST_P(HazardsApi, ExtensionsAreDecidedByTheAssigneesSupervisorAndCounted) {
    auto leader = Client().As("leader1");
    auto h = Create(Client().As("welder1"), Blue("焊接烟尘净化器滤芯堵塞"));
    const std::string id(h.at("id").as_string());
    ASSERT_EQ(leader.Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 200);
    auto due = ParseRfc3339(std::string(h.at("due_at").as_string()));
    const std::string later = FormatRfc3339(*due + std::chrono::hours(48));
    EXPECT_EQ(leader.Post("/api/v1/hazards/" + id + "/extensions", json::value{{"new_due_at", later}}).status, 422);
    auto asked = leader.Post("/api/v1/hazards/" + id + "/extensions",
                             json::value{{"reason", "滤芯需采购，两天到货"}, {"new_due_at", later}});
    ASSERT_EQ(asked.status, 201) << asked.body;
    const std::string ext(asked.Json().at("id").as_string());
    EXPECT_EQ(asked.Json().at("approver_id").as_string(), server().UserId("director1"));
    EXPECT_EQ(
        leader.Post("/api/v1/hazards/" + id + "/extensions", json::value{{"reason", "again"}, {"new_due_at", later}})
            .status,
        409);
    auto pending = Client().As("director1").Get("/api/v1/hazards/extensions?status=pending&mine=true");
    ASSERT_EQ(pending.status, 200);
    bool listed = false;
    const json::value pending_json = pending.Json();
    for (const auto& x : pending_json.at("items").as_array()) listed = listed || x.at("id").as_string() == ext;
    EXPECT_TRUE(listed);
    // Not the supervisor: refused (the leader has hazards.assign, but it is his own request).
    EXPECT_EQ(
        leader.Post("/api/v1/hazards/" + id + "/extensions/" + ext + "/decide", json::value{{"decision", "approve"}})
            .status,
        403);
    auto decided = Client()
                       .As("director1")
                       .Post("/api/v1/hazards/" + id + "/extensions/" + ext + "/decide",
                             json::value{{"decision", "approve"}, {"comment", "同意"}});
    ASSERT_EQ(decided.status, 200) << decided.body;
    EXPECT_EQ(decided.Json().at("status").as_string(), "approved");
    auto detail = Get(leader, id);
    EXPECT_EQ(detail.at("due_at").as_string(), later);
    EXPECT_EQ(detail.at("extension_count").as_int64(), 1);
    EXPECT_EQ(detail.at("status").as_string(), "accepted");  // waiting is not a status of its own
    auto types = EventTypes(detail);
    EXPECT_EQ(Count(types, "extension_requested"), 1u);
    EXPECT_EQ(Count(types, "extension_approved"), 1u);
}

TEST_P(HazardsApi, FixedOnTheSpotClosesAtOnceWithEvidence) {
    auto welder = Client().As("welder1");
    const std::string after = Upload(welder, MakeJpeg(200, 150, 21), "image/jpeg");
    auto body = Blue("安全通道堆放物料");
    body["manage_type"] = 0;
    auto refused = welder.Post("/api/v1/hazards", json::value(body));
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(refused.ErrorCode(), "evidence_missing");
    body["evidence"] = json::array{json::object{{"kind", "after_photo"}, {"file_id", after}}};
    auto h = Create(welder, body);
    EXPECT_EQ(h.at("status").as_string(), "closed");
    EXPECT_EQ(h.at("assignee_id").as_string(), server().UserId("welder1"));
    auto red = Blue("行车限位器失效");
    red["grade"] = "red";
    red["manage_type"] = 0;
    red["evidence"] = body["evidence"];
    auto no = welder.Post("/api/v1/hazards", json::value(red));
    EXPECT_EQ(no.status, 422);
    EXPECT_EQ(no.ErrorCode(), "on_the_spot_not_allowed");
}

TEST_P(HazardsApi, ListsFilterSortAndPage) {
    auto admin = Client().As("admin");
    auto welder = Client().As("welder1");
    auto red = Blue("喷漆房可燃气体报警仪失灵");
    red["grade"] = "red";
    Create(welder, red);
    Create(welder, Blue("应急照明灯不亮"));

    auto reds = admin.Get("/api/v1/hazards?grade=red&limit=1000");
    ASSERT_EQ(reds.status, 200) << reds.body;
    ASSERT_FALSE(reds.Json().at("items").as_array().empty());
    const json::value reds_json = reds.Json();
    for (const auto& h : reds_json.at("items").as_array()) EXPECT_EQ(h.at("grade").as_string(), "red");

    auto assigned = admin.Get("/api/v1/hazards?status=assigned,accepted&limit=1000");
    const json::value assigned_json = assigned.Json();
    for (const auto& h : assigned_json.at("items").as_array()) {
        auto s = std::string(h.at("status").as_string());
        EXPECT_TRUE(s == "assigned" || s == "accepted") << s;
    }

    // The demo starts with overdue hazards; the list holds only overdue ones, by deadline.
    auto overdue = admin.Get("/api/v1/hazards?overdue=true&sort=due_at&limit=1000");
    ASSERT_EQ(overdue.status, 200) << overdue.body;
    const json::value overdue_json = overdue.Json();
    const auto& items = overdue_json.at("items").as_array();
    ASSERT_FALSE(items.empty());
    std::string previous;
    for (const auto& h : items) {
        EXPECT_TRUE(h.at("overdue").as_bool());
        std::string d(h.at("due_at").as_string());
        EXPECT_LE(previous, d);
        previous = d;
    }

    // Newest first, paged without overlap.
    auto page1 = admin.Get("/api/v1/hazards?limit=5");
    auto first = page1.Json().as_object();
    ASSERT_EQ(first.at("items").as_array().size(), 5u);
    ASSERT_TRUE(first.at("next_cursor").is_string());
    EXPECT_EQ(first.at("items").at(0).at("title").as_string(), "应急照明灯不亮");
    auto page2 = admin.Get("/api/v1/hazards?limit=5&cursor=" + std::string(first.at("next_cursor").as_string()));
    ASSERT_EQ(page2.status, 200) << page2.body;
    std::set<std::string> ids;
    for (const auto& h : first.at("items").as_array()) ids.insert(std::string(h.at("id").as_string()));
    const json::value page2_json = page2.Json();
    for (const auto& h : page2_json.at("items").as_array())
        EXPECT_FALSE(ids.count(std::string(h.at("id").as_string())));
    auto big = admin.Get("/api/v1/hazards?limit=1000");
    EXPECT_GT(big.Json().at("items").as_array().size(), 100u);  // twelve months of demo history

    EXPECT_EQ(admin.Get("/api/v1/hazards?grade=purple").status, 400);
    EXPECT_EQ(admin.Get("/api/v1/hazards?status=suspended").status, 400);
    EXPECT_EQ(admin.Get("/api/v1/hazards?sort=title").status, 400);
    EXPECT_EQ(admin.Get("/api/v1/hazards?cursor=zz").status, 400);
}

TEST_P(HazardsApi, StatsCountPerGroupAndTheBoardShowsWhatIsOpen) {
    auto admin = Client().As("admin");
    Create(Client().As("welder1"), Blue("焊机接地线破损"));
    auto r = admin.Get("/api/v1/hazards/stats?group_by=department,grade");
    ASSERT_EQ(r.status, 200) << r.body;
    int64_t total = 0;
    bool welding_blue = false;
    const json::value r_json = r.Json();
    for (const auto& row : r_json.as_array()) {
        ASSERT_TRUE(row.as_object().contains("department"));
        ASSERT_TRUE(row.as_object().contains("grade"));
        total += row.at("count").as_int64();
        if (row.at("department") == "焊接一车间" && row.at("grade") == "blue") welding_blue = true;
    }
    EXPECT_TRUE(welding_blue);
    auto all = admin.Get("/api/v1/hazards/stats?group_by=status");
    int64_t by_status = 0;
    const json::value all_json = all.Json();
    for (const auto& row : all_json.as_array()) by_status += row.at("count").as_int64();
    EXPECT_EQ(total, by_status);
    EXPECT_EQ(admin.Get("/api/v1/hazards/stats?group_by=category").status, 200);
    EXPECT_EQ(admin.Get("/api/v1/hazards/stats?group_by=colour").status, 400);

    auto board = admin.Get("/api/v1/hazards/board");
    ASSERT_EQ(board.status, 200) << board.body;
    EXPECT_GE(board.Json().at("active").as_int64(), 1);
    EXPECT_GE(board.Json().at("overdue").as_int64(), 1);
    const json::value board_json = board.Json();
    ASSERT_FALSE(board_json.at("most_overdue").as_array().empty());
    // The board names who holds each overdue hazard and where, as the list does.
    for (const auto& h : board_json.at("most_overdue").as_array()) {
        if (!h.at("assignee_id").is_null()) {
            EXPECT_TRUE(h.at("assignee_name").is_string()) << h;
        }
        if (!h.at("department_id").is_null()) {
            EXPECT_TRUE(h.at("department_name").is_string()) << h;
        }
    }
}

TEST_P(HazardsApi, AWorkerSeesOnlyWhatHeReportedOrHolds) {
    auto welder = Client().As("welder1");
    auto safety = Client().As("safety");
    auto mine = Create(welder, Blue("焊工未佩戴防护面罩作业"));
    auto other = Create(safety, json::object{{"title", "喷漆房排风机皮带松动"},
                                             {"category", "设备"},
                                             {"grade", "yellow"},
                                             {"assignee_id", server().UserId("director2")}});
    const std::string other_id(other.at("id").as_string());
    EXPECT_EQ(welder.Get("/api/v1/hazards/" + other_id).status, 404);
    EXPECT_EQ(welder.Post("/api/v1/hazards/" + other_id + "/accept", std::string()).status, 404);
    auto list = welder.Get("/api/v1/hazards?limit=1000");
    ASSERT_EQ(list.status, 200);
    const std::string me = server().UserId("welder1");
    bool found_mine = false;
    const json::value list_json = list.Json();
    for (const auto& h : list_json.at("items").as_array()) {
        EXPECT_NE(h.at("id").as_string(), other_id);
        EXPECT_TRUE(h.at("reporter_id").as_string() == me || h.at("assignee_id") == json::value(me));
        found_mine = found_mine || h.at("id") == mine.at("id");
    }
    EXPECT_TRUE(found_mine);
    // The team leader sees his team's hazards, not another department's.
    auto leader = Client().As("leader1");
    EXPECT_EQ(leader.Get("/api/v1/hazards/" + std::string(mine.at("id").as_string())).status, 200);
    EXPECT_EQ(leader.Get("/api/v1/hazards/" + other_id).status, 404);
    // Tenant-wide roles see everything.
    EXPECT_EQ(Client().As("vp").Get("/api/v1/hazards/" + other_id).status, 200);
}

TEST_P(HazardsApi, SettingsChangeDeadlinesForNewHazards) {
    auto admin = Client().As("admin");
    auto settings = admin.Get("/api/v1/hazards/settings");
    ASSERT_EQ(settings.status, 200);
    EXPECT_EQ(settings.Json().at("grades").at(0).at("deadline_min").as_int64(), 120);
    EXPECT_EQ(Client().As("safety").Put("/api/v1/hazards/settings", json::value{{"archive_after_days", 60}}).status,
              403);
    auto bad = admin.Put("/api/v1/hazards/settings",
                         json::value{{"grades", json::array{json::object{{"grade", "red"}, {"deadline_min", 0}}}}});
    EXPECT_EQ(bad.status, 422);
    auto saved = admin.Put("/api/v1/hazards/settings",
                           json::value{{"grades", json::array{json::object{{"grade", "red"}, {"deadline_min", 90}}}}});
    ASSERT_EQ(saved.status, 200) << saved.body;
    auto red = Blue("行车上升限位器失效");
    red["grade"] = "red";
    auto h = Create(Client().As("welder1"), red);
    auto reported = ParseRfc3339(std::string(h.at("reported_at").as_string()));
    auto due = ParseRfc3339(std::string(h.at("due_at").as_string()));
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::minutes>(*due - *reported).count(), 90);
}

TEST_P(HazardsApi, MetricsComeFromTheHistory) {
    auto safety = Client().As("safety");
    auto r = safety.Get("/api/v1/hazards/metrics");
    ASSERT_EQ(r.status, 200) << r.body;
    auto m = r.Json().as_object();
    EXPECT_GT(m.at("reported").as_int64(), 50);
    EXPECT_TRUE(m.at("rectification_hours").at("average").is_number());
    EXPECT_TRUE(m.at("overdue_rate").at("pct").is_number());
    EXPECT_TRUE(m.at("on_time_rate").at("pct").is_number());
    EXPECT_EQ(m.at("closure_rate").as_array().size(), 3u);
    EXPECT_FALSE(m.at("penetration").at("by_position").as_array().empty());
    EXPECT_FALSE(m.at("penetration").at("by_department").as_array().empty());
    EXPECT_EQ(Client().As("welder1").Get("/api/v1/hazards/metrics").status, 403);
    EXPECT_EQ(safety.Get("/api/v1/hazards/metrics?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").status, 400);
}

TEST_P(HazardsApi, ConcurrentReportsGetDistinctCodes) {
    constexpr int kThreads = 6;
    constexpr int kEach = 5;
    std::vector<std::string> tokens;
    for (int t = 0; t < kThreads; ++t) tokens.push_back(Client().As(t % 2 ? "welder1" : "welder2").token());
    std::vector<std::vector<std::string>> codes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            TestClient c = Client();
            c.SetToken(tokens[t]);
            for (int i = 0; i < kEach; ++i) {
                auto r = c.Post("/api/v1/hazards",
                                json::value(Blue("并发上报 " + std::to_string(t) + "-" + std::to_string(i))));
                if (r.status == 201) codes[t].emplace_back(r.Json().at("code").as_string());
            }
        });
    }
    for (auto& th : threads) th.join();
    std::set<std::string> unique;
    size_t total = 0;
    for (const auto& list : codes) {
        total += list.size();
        unique.insert(list.begin(), list.end());
    }
    EXPECT_EQ(total, static_cast<size_t>(kThreads * kEach));
    EXPECT_EQ(unique.size(), total);
}

// ---- voice note (the recorded fallback of dictation) ----

TEST_P(HazardsApi, AVoiceNoteIsAnAudioFileOfAtMostTwoMinutes) {
    auto welder = Client().As("welder1");
    const std::string voice = Upload(welder, MakeWav(5, 1), "audio/wav");
    auto body = Blue("配电箱门无法关闭");
    body["voice_note_file_id"] = voice;
    auto h = Create(welder, body);
    ASSERT_TRUE(h.contains("voice_note")) << json::serialize(h);
    ASSERT_TRUE(h.at("voice_note").is_object()) << json::serialize(h);
    const auto& note = h.at("voice_note").as_object();
    EXPECT_EQ(note.at("file_id").as_string(), voice);
    EXPECT_EQ(note.at("content_type").as_string(), "audio/wav");
    EXPECT_NEAR(note.at("duration_s").to_number<double>(), 5.0, 0.1);  // measured by the server
    auto detail = Get(Client().As("leader1"), std::string(h.at("id").as_string()));
    EXPECT_EQ(detail.at("voice_note"), h.at("voice_note"));
    // A report without one says so.
    EXPECT_TRUE(Create(welder, Blue("无语音")).at("voice_note").is_null());

    // Refusals: 422 with a stable code each, and nothing is stored.
    int attempt = 0;
    auto refused = [&](const std::string& file_id, const std::string& code) {
        auto b = Blue("语音被拒");
        const std::string id = "6a0e6c1e-2b7d-4c6e-9a1f-00000000000" + std::to_string(++attempt);
        b["id"] = id;
        b["voice_note_file_id"] = file_id;
        auto r = welder.Post("/api/v1/hazards", json::value(b));
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.ErrorCode(), code) << r.body;
        EXPECT_TRUE(r.Json().at("error").at("fields").as_object().contains("voice_note_file_id")) << r.body;
        EXPECT_EQ(welder.Get("/api/v1/hazards/" + id).status, 404);
    };
    refused(Upload(welder, MakeJpeg(64, 48, 3), "image/jpeg"), "voice_note_not_audio");
    refused(Upload(welder, MakeMjpegVideo(3, 4), "video/x-matroska"), "voice_note_not_audio");
    refused(std::string(64, 'b'), "voice_note_not_found");
    refused("not-a-file-id", "voice_note_not_found");
    refused(Upload(welder, MakeWav(121, 2), "audio/wav"), "voice_note_too_long");
}

TEST_P(HazardsApi, AnOfflineReportWaitsForItsVoiceNoteToArrive) {
    // The phone's outbox sends the report (POST /sync, hazard.create) referring to a recording by its hash;
    // until the bytes arrive the mutation is refused as retryable, then the same mutation goes through.
    auto welder = Client().As("welder1");
    const std::string bytes = MakeWav(3, 5);
    const std::string voice = Sha256Hex(bytes);
    auto body = Blue("离线语音留言");
    body["id"] = "6a0e6c1e-2b7d-4c6e-9a1f-0000000000a1";
    body["voice_note_file_id"] = voice;
    const json::value batch{{"device_id", "phone-1"},
                            {"mutations", json::array{json::object{{"id", "6a0e6c1e-2b7d-4c6e-9a1f-0000000000b1"},
                                                                   {"type", "hazard.create"},
                                                                   {"payload", body}}}}};
    auto first = welder.Post("/api/v1/sync", batch);
    ASSERT_EQ(first.status, 200) << first.body;
    const json::value first_json = first.Json();
    const auto& r0 = first_json.at("results").at(0);
    EXPECT_EQ(r0.at("status").as_string(), "rejected") << first.body;
    EXPECT_EQ(r0.at("error").at("code").as_string(), "file_missing") << first.body;
    EXPECT_TRUE(r0.at("error").at("retryable").as_bool());
    EXPECT_EQ(Upload(welder, bytes, "audio/wav"), voice);
    auto second = welder.Post("/api/v1/sync", batch);
    ASSERT_EQ(second.status, 200) << second.body;
    const json::value second_json = second.Json();
    EXPECT_EQ(second_json.at("results").at(0).at("status").as_string(), "applied") << second.body;
    auto h = Get(welder, "6a0e6c1e-2b7d-4c6e-9a1f-0000000000a1");
    EXPECT_EQ(h.at("voice_note").at("file_id").as_string(), voice);
}

// ---- write answers ----

TEST_P(HazardsApi, WriteAnswersAreTheDetailWithPeople) {
    auto welder = Client().As("welder1");
    auto leader = Client().As("leader1");
    const std::string welder_id = server().UserId("welder1");
    const std::string leader_id = server().UserId("leader1");
    auto created = Create(welder, Blue("焊渣未清理"));
    const std::string id(created.at("id").as_string());
    // The create answer already has what GET shows: names of everyone it mentions, events, evidence rules.
    for (const char* key : {"people", "events", "rectifications", "extensions", "work_orders", "required_evidence",
                            "min_video_s", "voice_note", "reporter_name", "assignee_name"}) {
        EXPECT_TRUE(created.contains(key)) << key;
    }
    EXPECT_TRUE(created.at("people").as_object().contains(welder_id));
    EXPECT_TRUE(created.at("people").as_object().contains(leader_id));
    auto shown = Get(welder, id);
    EXPECT_EQ(created.at("people"), shown.at("people"));
    EXPECT_EQ(created.at("events"), shown.at("events"));

    auto accepted = leader.Post("/api/v1/hazards/" + id + "/accept", std::string());
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    const json::object answer = accepted.Json().as_object();
    const json::object after = Get(leader, id);
    EXPECT_EQ(answer.at("people"), after.at("people"));
    EXPECT_EQ(answer.at("events"), after.at("events"));
    EXPECT_EQ(answer.at("version"), after.at("version"));
    EXPECT_EQ(answer.at("status").as_string(), "accepted");
    EXPECT_EQ(answer.at("assignee_name"), after.at("assignee_name"));
    EXPECT_EQ(EventTypes(answer).back(), "accepted");

    // A reassignment's answer names the new assignee.
    auto handed = Create(welder, Blue("通道被占"));
    const std::string handed_id(handed.at("id").as_string());
    const std::string welder2 = server().UserId("welder2");
    auto r = leader.Post("/api/v1/hazards/" + handed_id + "/reassign",
                         json::value{{"assignee_id", welder2}, {"reason", "刘洋负责该区域"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.Json().at("people").as_object().contains(welder2)) << r.body;
    EXPECT_EQ(r.Json().at("assignee_name"), r.Json().at("people").at(welder2));
    EXPECT_EQ(EventTypes(r.Json().as_object()).back(), "reassigned");
}

// ---- the automatic assignment ----

TEST_P(HazardsApi, TheAutomaticAssignmentIsTheSystemsWithItsRule) {
    auto welder = Client().As("welder1");
    auto assigned_event = [](const json::object& h) {
        for (const auto& e : h.at("events").as_array()) {
            if (e.at("type").as_string() == "assigned") return e.as_object();
        }
        ADD_FAILURE() << "no assigned event";
        return json::object{};
    };
    // The reporter's team leader, by rule: no actor, the rule and the team in the data.
    auto by_team = assigned_event(Create(welder, Blue("砂轮片裂纹")));
    EXPECT_TRUE(by_team.at("actor_id").is_null()) << json::serialize(by_team);
    EXPECT_EQ(by_team.at("data").at("rule").as_string(), "team_leader");
    EXPECT_TRUE(by_team.at("data").as_object().contains("team_id"));
    EXPECT_EQ(by_team.at("data").at("assignee_id").as_string(), server().UserId("leader1"));

    // The asset's owner.
    const std::string owner = server().UserId("director1");
    auto put = Client().As("admin").Put(
        "/api/v1/hazards/owners",
        json::value{{"owners", json::array{json::object{{"kind", "asset"}, {"key", "CR-05"}, {"user_id", owner}}}}});
    ASSERT_EQ(put.status, 200) << put.body;
    auto body = Blue("5号行车限位松动");
    body["asset_id"] = "CR-05";
    auto by_asset = assigned_event(Create(welder, body));
    EXPECT_TRUE(by_asset.at("actor_id").is_null());
    EXPECT_EQ(by_asset.at("data").at("rule").as_string(), "asset_owner");
    EXPECT_EQ(by_asset.at("data").at("asset_id").as_string(), "CR-05");
    EXPECT_EQ(by_asset.at("data").at("assignee_id").as_string(), owner);

    // Named by the reporter: their own act.
    body = Blue("指定整改人");
    body["assignee_id"] = server().UserId("welder2");
    auto chosen = assigned_event(Create(welder, body));
    EXPECT_EQ(chosen.at("actor_id").as_string(), server().UserId("welder1"));
    EXPECT_EQ(chosen.at("data").at("rule").as_string(), "chosen");

    // The demo history was assigned the same way.
    auto closed = Client().As("admin").Get("/api/v1/hazards?status=closed&limit=1");
    ASSERT_EQ(closed.status, 200) << closed.body;
    ASSERT_FALSE(closed.Json().at("items").as_array().empty());
    auto demo =
        assigned_event(Get(Client().As("admin"), std::string(closed.Json().at("items").at(0).at("id").as_string())));
    EXPECT_TRUE(demo.at("actor_id").is_null());
    EXPECT_EQ(demo.at("data").at("rule").as_string(), "team_leader");
}

// ---- code search ----

TEST_P(HazardsApi, CodeSearchFindsByTheStartOrTheNumber) {
    auto admin = Client().As("admin");
    auto h = Create(Client().As("welder1"), Blue("编号检索"));
    const std::string code(h.at("code").as_string());  // YH-<year>-<6 digits>
    ASSERT_TRUE(IsHazardCode(code)) << code;
    auto found = [&](const std::string& query) {
        auto r = admin.Get("/api/v1/hazards?limit=1000&code=" + query);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> codes;
        const json::value v = r.Json();
        for (const auto& item : v.at("items").as_array()) codes.emplace_back(item.at("code").as_string());
        return codes;
    };
    auto has = [&](const std::vector<std::string>& codes) {
        return std::find(codes.begin(), codes.end(), code) != codes.end();
    };
    EXPECT_EQ(found(code), std::vector<std::string>{code});
    std::string lower = code;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    EXPECT_EQ(found(lower), std::vector<std::string>{code});
    // The number alone (any year).
    const std::string number = code.substr(8);
    auto by_number = found(number);
    EXPECT_TRUE(has(by_number));
    for (const auto& c : by_number) EXPECT_EQ(c.substr(8), number);
    // The number without its leading zeros.
    const std::string bare = std::to_string(std::stoll(number));
    auto by_bare = found(bare);
    EXPECT_TRUE(has(by_bare));
    for (const auto& c : by_bare) {
        const std::string n = c.substr(8);
        EXPECT_TRUE(n == number || n.substr(0, bare.size()) == bare) << c;
    }
    // The start of the code: every code found starts so, or has that number written short.
    const std::string start = code.substr(0, 12);  // "YH-2026-0004"
    const int64_t short_number = std::stoll(code.substr(8, 4));
    auto by_start = found(start);
    EXPECT_TRUE(has(by_start));
    for (const auto& c : by_start) {
        EXPECT_TRUE(c.substr(0, 12) == start ||
                    (c.substr(0, 8) == code.substr(0, 8) && std::stoll(c.substr(8)) == short_number))
            << c;
    }
    // Wildcards are just characters: nothing matches them (not everything).
    EXPECT_TRUE(found("%25").empty());  // "%"
    EXPECT_TRUE(found("_").empty());
    EXPECT_TRUE(found(start + "%25").empty());  // "YH-2026-0004%"
    EXPECT_TRUE(found(code.substr(0, 13) + "_").empty());
}

// ---- what awaits my verification ----

TEST_P(HazardsApi, ToVerifyLeavesOutMyOwnSubmission) {
    auto safety = Client().As("safety");
    auto leader = Client().As("leader1");
    auto welder = Client().As("welder1");
    auto submit = [&](const TestClient& who, const std::string& assignee, const std::string& title, int seed) {
        auto b = Blue(title);
        b["assignee_id"] = server().UserId(assignee);
        auto h = Create(welder, b);
        const std::string id(h.at("id").as_string());
        EXPECT_EQ(who.Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 200);
        const std::string photo = Upload(who, MakeJpeg(120, 90, seed), "image/jpeg");
        auto r =
            who.Post("/api/v1/hazards/" + id + "/rectify",
                     json::value{{"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", photo}}}}});
        EXPECT_EQ(r.status, 200) << r.body;
        return id;
    };
    const std::string own = submit(safety, "safety", "安全员自己整改的", 31);
    const std::string other = submit(leader, "leader1", "班组长整改的", 32);
    auto ids = [&](const TestClient& who, const std::string& query) {
        std::set<std::string> out;
        auto r = who.Get("/api/v1/hazards?limit=1000&" + query);
        EXPECT_EQ(r.status, 200) << r.body;
        const json::value v = r.Json();
        for (const auto& item : v.at("items").as_array()) {
            EXPECT_EQ(item.at("status").as_string(), "submitted");
            out.insert(std::string(item.at("id").as_string()));
        }
        return out;
    };
    auto submitted = ids(safety, "status=submitted");
    EXPECT_TRUE(submitted.count(own));
    EXPECT_TRUE(submitted.count(other));
    auto mine_to_verify = ids(safety, "to_verify=true");
    EXPECT_FALSE(mine_to_verify.count(own));  // nobody verifies their own rectification
    EXPECT_TRUE(mine_to_verify.count(other));
    for (const auto& id : mine_to_verify) EXPECT_TRUE(submitted.count(id)) << id;
    // Every one listed can indeed be verified by them; their own cannot.
    EXPECT_EQ(safety.Post("/api/v1/hazards/" + own + "/verify", json::value{{"result", "pass"}}).status, 403);
    EXPECT_TRUE(ids(Client().As("admin"), "to_verify=true").count(own));
    EXPECT_EQ(safety.Get("/api/v1/hazards?to_verify=maybe").status, 400);
}

SAFELOOP_BOTH_BACKENDS(HazardsApi);

}  // namespace
}  // namespace safeloop::testing
