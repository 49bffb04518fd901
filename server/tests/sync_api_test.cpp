// Offline-first sync (issue 5, CONTRACT.md POST /sync) on SQLite and PostgreSQL: a batch sent twice
// applies nothing twice, one bad mutation does not stop the others, mutations of one batch see each other
// in order, missing files and unknown types are retryable, the conflict rules of docs/sync.md, the change
// feed, and the real server killed with SIGKILL in the middle of a 300-mutation batch.

#include <boost/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "child_server.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "db/db.hpp"
#include "hazards_media.hpp"
#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

std::string NewId() {
    static SystemClock clock;
    return NewUuidV7(clock);
}

json::object Mutation(const std::string& id, const std::string& type, json::object payload) {
    return json::object{
        {"id", id}, {"type", type}, {"payload", std::move(payload)}, {"created_at", "2026-11-28T06:30:00+08:00"}};
}

json::object Report(const std::string& hazard_id, const std::string& title) {
    return json::object{
        {"id", hazard_id}, {"title", title}, {"description", "离线上报"}, {"category", "电气"}, {"grade", "blue"}};
}

json::value Batch(const json::array& mutations, const std::string& device = "phone-test") {
    return json::object{{"device_id", device}, {"mutations", mutations}};
}

class SyncApi : public ApiTest {
protected:
    json::array Sync(const TestClient& who, const json::array& mutations, int expected = 200) {
        auto r = who.Post("/api/v1/sync", Batch(mutations));
        EXPECT_EQ(r.status, expected) << r.body;
        if (r.status != 200) return {};
        auto results = r.Json().at("results").as_array();
        EXPECT_EQ(results.size(), mutations.size());
        for (size_t i = 0; i < std::min(results.size(), mutations.size()); ++i) {
            EXPECT_EQ(results[i].at("id"), mutations[i].at("id")) << "results come in the order sent";
        }
        return results;
    }

    static std::string Status(const json::value& result) { return std::string(result.at("status").as_string()); }
    static std::string Code(const json::value& result) {
        return std::string(result.at("error").at("code").as_string());
    }

    std::string Upload(const TestClient& who, const std::string& bytes, const std::string& type) {
        auto r = who.Request("POST", "/api/v1/files", bytes, type);
        EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
        return std::string(r.Json().at("id").as_string());
    }

    int64_t Count(const std::string& sql, const db::Params& params = {}) {
        auto lease = server().app().pool().Acquire();
        return lease->QueryOne(sql, params)->Int(0);
    }

    // A hazard reported by welder1, assigned to leader1, accepted and rectified (blue: an after photo):
    // waiting for verification. Returns its id.
    std::string Submitted(const std::string& title) {
        auto welder = Client().As("welder1");
        auto leader = Client().As("leader1");
        const std::string id = NewId();
        auto created = welder.Post("/api/v1/hazards", json::value(Report(id, title)));
        EXPECT_EQ(created.status, 201) << created.body;
        EXPECT_EQ(leader.Post("/api/v1/hazards/" + id + "/accept", std::string()).status, 200);
        const std::string photo = Upload(leader, MakeJpeg(160, 120, static_cast<int>(title.size()) + 40), "image/jpeg");
        auto rectified = leader.Post(
            "/api/v1/hazards/" + id + "/rectify",
            json::value{{"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", photo}}}},
                        {"note", "已更换"}});
        EXPECT_EQ(rectified.status, 200) << rectified.body;
        return id;
    }
};

TEST_P(SyncApi, TheSameBatchTwiceAppliesNothingTwice) {
    auto leader = Client().As("leader1");
    json::array batch;
    std::vector<std::string> hazards;
    for (int i = 0; i < 10; ++i) {
        hazards.push_back(NewId());
        batch.push_back(Mutation(NewId(), "hazard.create", Report(hazards.back(), "离线隐患 " + std::to_string(i))));
    }
    // The phone accepts a hazard it reported offline (leader1 is its own team's leader): the accept comes
    // after the create in the same batch and must see it.
    batch.push_back(Mutation(NewId(), "hazard.accept", {{"hazard_id", hazards[3]}, {"assignment_no", 1}}));

    auto first = Sync(leader, batch);
    for (const auto& r : first) EXPECT_EQ(Status(r), "applied") << json::serialize(r);
    EXPECT_EQ(first.back().at("result").at("status").as_string(), "accepted");
    EXPECT_EQ(first[0].at("result").at("id").as_string(), hazards[0]);

    auto second = Sync(leader, batch);
    for (size_t i = 0; i < second.size(); ++i) {
        EXPECT_EQ(Status(second[i]), "duplicate") << json::serialize(second[i]);
        EXPECT_EQ(second[i].at("result").at("id"), first[i].at("result").at("id"));
    }
    EXPECT_EQ(second.back().at("result").at("status").as_string(), "accepted");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM hazards WHERE title LIKE '离线隐患 %'"), 10);
    // The phone's time is kept beside the server's.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sync_mutations WHERE device_id = 'phone-test' AND recorded_at = $1 AND "
                    "received_at > 0",
                    {int64_t{1795818600000}}),
              11);
    // And on the hazard's events: each event of a replayed action keeps the phone's time as data; the
    // event's own time is the server's.
    auto detail = leader.Get("/api/v1/hazards/" + hazards[3]);
    ASSERT_EQ(detail.status, 200) << detail.body;
    int stamped = 0;
    const auto detail_json = detail.Json();
    for (const auto& e : detail_json.at("events").as_array()) {
        const auto& data = e.at("data").as_object();
        ASSERT_TRUE(data.contains("recorded_at")) << json::serialize(e);
        EXPECT_EQ(data.at("recorded_at"), "2026-11-27T22:30:00.000Z") << json::serialize(e);  // 06:30 +08:00
        EXPECT_NE(e.at("at"), data.at("recorded_at"));
        ++stamped;
    }
    EXPECT_EQ(stamped, 3);  // reported, assigned (to leader1, the reporter's team leader), accepted

    // Only the sync sets it: a client sending the header itself does not reach the events.
    const std::string online = NewId();
    auto created = leader.Request("POST", "/api/v1/hazards", json::serialize(Report(online, "在线隐患")),
                                  "application/json", {"X-SafeLoop-Recorded-At: 1700000000000"});
    ASSERT_EQ(created.status, 201) << created.body;
    const auto created_json = created.Json();
    for (const auto& e : created_json.at("events").as_array()) {
        EXPECT_FALSE(e.at("data").as_object().contains("recorded_at")) << json::serialize(e);
    }
}

TEST_P(SyncApi, OneBadMutationInTheMiddleDoesNotStopTheOthers) {
    auto welder = Client().As("welder1");
    json::object bad = Report(NewId(), "x");
    bad.erase("title");
    bad["grade"] = "purple";
    json::array batch{Mutation(NewId(), "hazard.create", Report(NewId(), "好的一条")),
                      Mutation(NewId(), "hazard.create", bad),
                      json::object{{"id", NewId()}, {"type", "hazard.create"}, {"payload", "not an object"}},
                      Mutation(NewId(), "hazard.create", Report(NewId(), "好的另一条"))};
    auto results = Sync(welder, batch);
    ASSERT_EQ(results.size(), 4U);
    EXPECT_EQ(Status(results[0]), "applied");
    EXPECT_EQ(Status(results[1]), "rejected");
    EXPECT_EQ(Code(results[1]), "validation_failed");
    EXPECT_TRUE(results[1].at("error").at("fields").as_object().contains("title"));
    EXPECT_TRUE(results[1].at("error").at("fields").as_object().contains("grade"));
    EXPECT_FALSE(results[1].at("error").at("retryable").as_bool());
    EXPECT_EQ(Code(results[2]), "validation_failed");
    EXPECT_EQ(Status(results[3]), "applied");
    // A rejection is final for its id: sent again, the same answer (the phone fixes it under a new id).
    auto again = Sync(welder, batch);
    EXPECT_EQ(Status(again[0]), "duplicate");
    EXPECT_EQ(Status(again[1]), "rejected");
    EXPECT_EQ(again[1].at("error").at("message"), results[1].at("error").at("message"));
    EXPECT_EQ(Status(again[3]), "duplicate");
}

TEST_P(SyncApi, MissingFilesAndUnknownTypesAreRetried) {
    auto welder = Client().As("welder1");
    const std::string bytes = MakeJpeg(200, 150, 77);
    const std::string photo = Sha256Hex(bytes);
    json::object report = Report(NewId(), "带照片的离线隐患");
    report["photos"] = json::array{photo};
    json::array batch{Mutation(NewId(), "hazard.create", report),
                      Mutation(NewId(), "inspection.record", {{"point_id", NewId()}})};
    auto results = Sync(welder, batch);
    EXPECT_EQ(Code(results[0]), "file_missing");
    EXPECT_TRUE(results[0].at("error").at("retryable").as_bool());
    EXPECT_EQ(results[0].at("error").at("missing").at(0).as_string(), photo);
    EXPECT_EQ(Code(results[1]), "unknown_type");
    EXPECT_TRUE(results[1].at("error").at("retryable").as_bool());
    // Once the photo is uploaded the same mutation (same id) goes through.
    EXPECT_EQ(Upload(welder, bytes, "image/jpeg"), photo);
    auto retried = Sync(welder, batch);
    EXPECT_EQ(Status(retried[0]), "applied") << json::serialize(retried[0]);
    EXPECT_EQ(retried[0].at("result").at("photos").at(0).as_string(), photo);
    EXPECT_EQ(Code(retried[1]), "unknown_type");
    // Something that is no file id at all will never arrive: refused for good.
    json::object bad = Report(NewId(), "坏的照片 id");
    bad["photos"] = json::array{"not-a-file-id"};
    auto refused = Sync(welder, json::array{Mutation(NewId(), "hazard.create", bad)});
    EXPECT_EQ(Code(refused[0]), "validation_failed");
    EXPECT_FALSE(refused[0].at("error").at("retryable").as_bool());
}

TEST_P(SyncApi, AMalformedEnvelopeIsRefusedWhole) {
    auto welder = Client().As("welder1");
    EXPECT_EQ(welder.Post("/api/v1/sync", json::value{{"mutations", json::array{}}}).status, 422);
    auto no_id = welder.Post("/api/v1/sync", Batch(json::array{json::object{{"type", "hazard.create"}}}));
    EXPECT_EQ(no_id.status, 422);
    EXPECT_TRUE(no_id.Json().at("error").at("fields").as_object().contains("mutations[0].id"));
    EXPECT_EQ(welder.Post("/api/v1/sync", std::string("{not json")).status, 400);
    json::array many;
    for (int i = 0; i < 501; ++i) many.push_back(Mutation(NewId(), "hazard.create", Report(NewId(), "x")));
    auto big = welder.Post("/api/v1/sync", Batch(many));
    EXPECT_EQ(big.status, 422);
    EXPECT_EQ(big.ErrorCode(), "too_many_mutations");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sync_mutations"), 0);
    // Signed-in users only; a mutation needs the permission of the request it stands for.
    EXPECT_EQ(Client().Post("/api/v1/sync", Batch(json::array{})).status, 401);
    auto auditor = Client().As("auditor");
    auto refused = Sync(auditor, json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", NewId()}})});
    EXPECT_EQ(Code(refused[0]), "forbidden");
    // Someone else's mutation id is not theirs to read.
    auto welder_batch = json::array{Mutation(NewId(), "hazard.create", Report(NewId(), "我的"))};
    EXPECT_EQ(Status(Sync(welder, welder_batch)[0]), "applied");
    auto stolen = Sync(Client().As("welder2"), welder_batch);
    EXPECT_EQ(Code(stolen[0]), "id_conflict");
    EXPECT_FALSE(stolen[0].as_object().contains("result"));
}

TEST_P(SyncApi, TwoOfflineVerificationsTheFirstWins) {
    const std::string id = Submitted("两次离线验收");
    auto safety = Client().As("safety");
    auto admin = Client().As("admin");
    auto first =
        Sync(safety, json::array{Mutation(NewId(), "hazard.verify",
                                          {{"hazard_id", id}, {"round", 1}, {"result", "pass"}, {"comment", "合格"}})});
    EXPECT_EQ(Status(first[0]), "applied") << json::serialize(first[0]);
    EXPECT_EQ(first[0].at("result").at("status").as_string(), "closed");
    auto second = Sync(
        admin, json::array{Mutation(NewId(), "hazard.verify",
                                    {{"hazard_id", id}, {"round", 1}, {"result", "fail"}, {"comment", "不合格"}})});
    EXPECT_EQ(Status(second[0]), "rejected");
    EXPECT_EQ(Code(second[0]), "already_verified");
    const std::string message(second[0].at("error").at("message").as_string());
    EXPECT_NE(message.find("陈静"), std::string::npos) << message;  // who verified first
    EXPECT_NE(message.find("通过"), std::string::npos) << message;
    auto hazard = safety.Get("/api/v1/hazards/" + id).Json();
    EXPECT_EQ(hazard.at("status").as_string(), "closed");
    EXPECT_EQ(hazard.at("rework_rounds").as_int64(), 0);

    // A failed first verification sends it back; the second one of that round is refused as well, and
    // still after the assignee resubmitted (the phone verified round 1, round 2 is standing).
    const std::string other = Submitted("先退回的离线验收");
    auto failed =
        Sync(admin,
             json::array{Mutation(NewId(), "hazard.verify",
                                  {{"hazard_id", other}, {"round", 1}, {"result", "fail"}, {"comment", "照片不清"}})});
    EXPECT_EQ(Status(failed[0]), "applied");
    auto leader = Client().As("leader1");
    const std::string photo = Upload(leader, MakeJpeg(160, 120, 91), "image/jpeg");
    auto resubmitted = Sync(
        leader,
        json::array{Mutation(NewId(), "hazard.rectify",
                             {{"hazard_id", other},
                              {"assignment_no", 1},
                              {"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", photo}}}}})});
    EXPECT_EQ(Status(resubmitted[0]), "applied") << json::serialize(resubmitted[0]);
    auto late =
        Sync(safety,
             json::array{Mutation(NewId(), "hazard.verify", {{"hazard_id", other}, {"round", 1}, {"result", "pass"}})});
    EXPECT_EQ(Code(late[0]), "already_verified");
    EXPECT_NE(std::string(late[0].at("error").at("message").as_string()).find("不通过"), std::string::npos);
}

TEST_P(SyncApi, OfflineWorkOnAReassignedHazardIsRefused) {
    auto welder = Client().As("welder1");
    const std::string id = NewId();
    ASSERT_EQ(welder.Post("/api/v1/hazards", json::value(Report(id, "改派的隐患"))).status, 201);
    // While leader1's phone is offline, the hazard goes to welder2.
    auto reassigned =
        Client().As("admin").Post("/api/v1/hazards/" + id + "/reassign",
                                  json::value{{"assignee_id", server().UserId("welder2")}, {"reason", "班长出差"}});
    ASSERT_EQ(reassigned.status, 200) << reassigned.body;
    auto leader = Client().As("leader1");
    auto results =
        Sync(leader, json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", id}, {"assignment_no", 1}}),
                                 Mutation(NewId(), "hazard.extension",
                                          {{"hazard_id", id},
                                           {"assignment_no", 1},
                                           {"reason", "等备件"},
                                           {"new_due_at", "2027-01-10T00:00:00Z"}})});
    EXPECT_EQ(Code(results[0]), "reassigned");
    EXPECT_NE(std::string(results[0].at("error").at("message").as_string()).find("刘洋"), std::string::npos)
        << results[0];  // welder2's name
    EXPECT_EQ(Code(results[1]), "reassigned");
    // welder2, who holds it now, may.
    auto holder = Sync(Client().As("welder2"),
                       json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", id}, {"assignment_no", 2}})});
    EXPECT_EQ(Status(holder[0]), "applied") << json::serialize(holder[0]);

    // Reassigned out of leader1's sight altogether (to another department): still `reassigned`, final, and
    // nobody's name is given away.
    const std::string far = NewId();
    auto report = Report(far, "改派到其他部门的隐患");
    report["assignee_id"] = server().UserId("leader1");
    ASSERT_EQ(Client().As("director2").Post("/api/v1/hazards", json::value(report)).status, 201);
    auto moved = Client().As("admin").Post(
        "/api/v1/hazards/" + far + "/reassign",
        json::value{{"assignee_id", server().UserId("director2")}, {"reason", "归口其他部门"}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    ASSERT_EQ(leader.Get("/api/v1/hazards/" + far).status, 404) << "the test needs it out of leader1's sight";
    auto unseen =
        Sync(leader, json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", far}, {"assignment_no", 1}})});
    EXPECT_EQ(Code(unseen[0]), "reassigned");
    EXPECT_FALSE(unseen[0].at("error").at("retryable").as_bool());
    // A hazard that does not exist (yet) stays retryable.
    auto unknown = Sync(leader, json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", NewId()}})});
    EXPECT_EQ(Code(unknown[0]), "not_found");
    EXPECT_TRUE(unknown[0].at("error").at("retryable").as_bool());
}

TEST_P(SyncApi, ActionsOnClosedAndArchivedHazardsAreRefused) {
    const std::string id = Submitted("已关闭的隐患");
    ASSERT_EQ(Client().As("safety").Post("/api/v1/hazards/" + id + "/verify", json::value{{"result", "pass"}}).status,
              200);
    auto leader = Client().As("leader1");
    auto closed =
        Sync(leader,
             json::array{Mutation(NewId(), "hazard.extension",
                                  {{"hazard_id", id}, {"reason", "等备件"}, {"new_due_at", "2027-01-10T00:00:00Z"}})});
    ASSERT_EQ(Status(closed[0]), "rejected") << closed[0];
    EXPECT_EQ(Code(closed[0]), "hazard_closed");
    // 30 days after closure the archive job makes it read-only.
    auto moved = Client().As("admin").Post("/api/v1/test/clock", json::value{{"advance_s", 31 * 24 * 3600}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    leader = Client().As("leader1");  // the old session expired meanwhile
    ASSERT_EQ(leader.Get("/api/v1/hazards/" + id).Json().at("status").as_string(), "archived");
    auto archived = Sync(leader, json::array{Mutation(NewId(), "hazard.accept", {{"hazard_id", id}})});
    ASSERT_EQ(Status(archived[0]), "rejected") << archived[0];
    EXPECT_EQ(Code(archived[0]), "hazard_archived");
}

TEST_P(SyncApi, TheChangeFeedStartsWithEverythingThenOnlyWhatChanged) {
    auto leader = Client().As("leader1");
    auto welder = Client().As("welder1");
    const std::string before = NewId();
    ASSERT_EQ(welder.Post("/api/v1/hazards", json::value(Report(before, "同步前的隐患"))).status, 201);

    // The first call: settings, people, and every open hazard leader1 sees, page by page.
    std::set<std::string> hazards;
    bool settings = false;
    bool people = false;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
        auto r = leader.Get("/api/v1/sync/changes?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200) << r.body;
        auto body = r.Json();
        for (const auto& c : body.at("changes").as_array()) {
            const auto type = c.at("type").as_string();
            if (type == "hazard") hazards.insert(std::string(c.at("id").as_string()));
            if (type == "hazard_settings") settings = c.at("data").as_object().contains("grades");
            if (type == "people") {
                people = true;
                for (const auto& p : c.at("data").as_array()) EXPECT_TRUE(p.as_object().contains("mobile"));
            }
        }
        cursor = std::string(body.at("next_cursor").as_string());
        if (!body.at("has_more").as_bool()) break;
    }
    EXPECT_TRUE(settings);
    EXPECT_TRUE(people);
    EXPECT_TRUE(hazards.contains(before));
    // Every open hazard assigned to leader1 is there (the demo's three included).
    auto mine = leader.Get("/api/v1/hazards?mine=true&status=assigned,accepted,rework&limit=1000").Json();
    for (const auto& h : mine.at("items").as_array())
        EXPECT_TRUE(hazards.contains(std::string(h.at("id").as_string())));

    // Nothing changed: nothing to send.
    auto idle = leader.Get("/api/v1/sync/changes?cursor=" + cursor).Json();
    EXPECT_TRUE(idle.at("changes").as_array().empty()) << idle;
    EXPECT_FALSE(idle.at("has_more").as_bool());

    // A new report and an accept: both hazards come, once each, with their current state.
    const std::string after = NewId();
    ASSERT_EQ(welder.Post("/api/v1/hazards", json::value(Report(after, "同步后的隐患"))).status, 201);
    ASSERT_EQ(leader.Post("/api/v1/hazards/" + before + "/accept", std::string()).status, 200);
    auto changed = leader.Get("/api/v1/sync/changes?cursor=" + std::string(idle.at("next_cursor").as_string())).Json();
    std::map<std::string, std::string> status;
    for (const auto& c : changed.at("changes").as_array()) {
        if (c.at("type") == "hazard") {
            EXPECT_FALSE(status.contains(std::string(c.at("id").as_string())));
            status[std::string(c.at("id").as_string())] = std::string(c.at("data").at("status").as_string());
        }
    }
    EXPECT_EQ(status[before], "accepted");
    EXPECT_EQ(status[after], "assigned");
    EXPECT_EQ(status.size(), 2U);
    EXPECT_EQ(leader.Get("/api/v1/sync/changes?cursor=nonsense").status, 400);
}

TEST_P(SyncApi, EachHazardInTheFeedIsWhatItsOwnPageShows) {
    // The feed reads a page of hazards in one batch; each must be exactly what GET /hazards/{id} answers, whatever
    // records it has (the demo's open hazards carry events, rectifications, extensions, work orders).
    for (const char* login : {"admin", "leader1", "welder1"}) {
        auto user = Client().As(login);
        auto first = user.Get("/api/v1/sync/changes?limit=500");
        ASSERT_EQ(first.status, 200) << first.body;
        size_t compared = 0;
        const auto body = first.Json();
        for (const auto& c : body.at("changes").as_array()) {
            if (c.at("type") != "hazard") continue;
            const std::string id(c.at("id").as_string());
            auto own = user.Get("/api/v1/hazards/" + id);
            ASSERT_EQ(own.status, 200) << login << " " << id;
            EXPECT_EQ(c.at("data"), own.Json()) << login << " " << id;
            ++compared;
        }
        // Every open hazard the user's list shows is in the feed.
        auto open = user.Get("/api/v1/hazards?status=reported,assigned,accepted,submitted,rework&limit=500").Json();
        EXPECT_EQ(compared, open.at("items").as_array().size()) << login;
        EXPECT_GT(compared, 0U) << login;
    }
}

TEST_P(SyncApi, ManyPhonesAtOnceAndTheSameBatchTwiceConcurrently) {
    // More batches at once than the server has database connections, and each batch sent twice at the
    // same time (a phone that timed out and retried): every hazard exactly once.
    constexpr int kPhones = 10;
    constexpr int kPerBatch = 15;
    std::vector<std::string> logins = {"welder1", "welder2", "leader1", "director1", "safety"};
    std::vector<json::array> batches(kPhones);
    for (int p = 0; p < kPhones; ++p) {
        for (int i = 0; i < kPerBatch; ++i) {
            batches[p].push_back(Mutation(NewId(), "hazard.create",
                                          Report(NewId(), "并发 " + std::to_string(p) + "-" + std::to_string(i))));
        }
    }
    std::vector<TestClient> clients;
    for (int p = 0; p < kPhones; ++p) clients.push_back(Client().As(logins[static_cast<size_t>(p) % logins.size()]));
    std::vector<std::thread> threads;
    std::vector<json::value> answers(2 * kPhones);
    for (int k = 0; k < 2 * kPhones; ++k) {
        threads.emplace_back([&, k] {
            auto r = clients[static_cast<size_t>(k % kPhones)].Post("/api/v1/sync",
                                                                    Batch(batches[static_cast<size_t>(k % kPhones)]));
            answers[static_cast<size_t>(k)] = r.status == 200 ? r.Json() : json::value(r.body);
        });
    }
    for (auto& t : threads) t.join();
    for (int p = 0; p < kPhones; ++p) {
        const auto& a = answers[static_cast<size_t>(p)];
        const auto& b = answers[static_cast<size_t>(p + kPhones)];
        ASSERT_TRUE(a.is_object() && b.is_object()) << a << b;
        for (int i = 0; i < kPerBatch; ++i) {
            const auto sa = a.at("results").at(static_cast<size_t>(i)).at("status").as_string();
            const auto sb = b.at("results").at(static_cast<size_t>(i)).at("status").as_string();
            EXPECT_TRUE((sa == "applied" && sb == "duplicate") || (sa == "duplicate" && sb == "applied") ||
                        (sa == "duplicate" && sb == "duplicate"))
                << sa << " / " << sb << json::serialize(a.at("results").at(static_cast<size_t>(i)));
        }
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM hazards WHERE title LIKE '并发 %'"), kPhones * kPerBatch);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sync_mutations"), kPhones * kPerBatch);
}

TEST_P(SyncApi, TheBatchThatAppliedAMutationSaysSoEvenWhenTwentyRaceForIt) {
    // A phone whose connection keeps timing out sends the same outbox again and again, each attempt still running on
    // the server: 20 batches of the same 50 reports at once. Each report is made once, and exactly one batch, the one
    // that made it, answers `applied` for it; every other batch answers `duplicate` (it once happened that the
    // applying batch stored its answer second and then answered `duplicate` as well, so no batch said `applied`).
    constexpr int kBatches = 20;
    constexpr int kReports = 50;
    json::array batch;
    std::vector<std::string> ids;
    for (int i = 0; i < kReports; ++i) {
        ids.push_back(NewId());
        batch.push_back(Mutation(ids.back(), "hazard.create", Report(NewId(), "抢答 " + std::to_string(i))));
    }
    const auto welder = Client().As("welder1");
    std::vector<json::value> answers(kBatches);
    std::vector<std::thread> threads;
    for (int k = 0; k < kBatches; ++k) {
        threads.emplace_back([&, k] {
            auto r = welder.Post("/api/v1/sync", Batch(batch, "phone-race"));
            answers[static_cast<size_t>(k)] = r.status == 200 ? r.Json() : json::value(r.body);
        });
    }
    for (auto& t : threads) t.join();
    std::map<std::string, int> applied;
    std::map<std::string, std::set<std::string>> hazard_of;
    for (const auto& a : answers) {
        ASSERT_TRUE(a.is_object()) << a;
        const auto& results = a.at("results").as_array();
        ASSERT_EQ(results.size(), static_cast<size_t>(kReports));
        for (size_t i = 0; i < results.size(); ++i) {
            const std::string id(results[i].at("id").as_string());
            EXPECT_EQ(id, ids[i]);
            const auto status = results[i].at("status").as_string();
            ASSERT_TRUE(status == "applied" || status == "duplicate") << results[i];
            if (status == "applied") ++applied[id];
            hazard_of[id].insert(std::string(results[i].at("result").at("id").as_string()));
        }
    }
    for (const auto& id : ids) {
        EXPECT_EQ(applied[id], 1) << "mutation " << id << " must be answered `applied` by exactly one batch";
        EXPECT_EQ(hazard_of[id].size(), 1U) << "every batch names the same hazard for " << id;
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM hazards WHERE title LIKE '抢答 %'"), kReports);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM sync_mutations WHERE device_id = 'phone-race'"), kReports);
}

SAFELOOP_BOTH_BACKENDS(SyncApi);

// ---- the real server, killed ----

class SyncKill : public ::testing::TestWithParam<Backend> {};

TEST_P(SyncKill, KilledInTheMiddleOfABatchEveryMutationAppliesExactlyOnce) {
    ChildServer server(GetParam());
    ASSERT_TRUE(server.Start()) << server.Log();
    auto leader = server.Client();
    leader.Login("leader1");
    constexpr int kMutations = 300;
    json::array batch;
    std::set<std::string> hazard_ids;
    for (int i = 0; i < kMutations; ++i) {
        const std::string hazard = NewId();
        hazard_ids.insert(hazard);
        batch.push_back(Mutation(NewId(), "hazard.create", Report(hazard, "断电测试 " + std::to_string(i))));
    }
    const std::string body = json::serialize(Batch(batch, "phone-kill"));

    auto db = db::Connect(server.database_url());
    auto count = [&](std::string_view sql) { return db->QueryOne(sql)->Int(0); };
    std::thread sender([&] { RawPost(server.base_url() + "/api/v1/sync", leader.token(), body); });
    // Kill it once some, but not all, of the batch is in.
    int64_t applied_at_kill = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        applied_at_kill = count("SELECT COUNT(*) FROM hazards WHERE title LIKE '断电测试 %'");
        if (applied_at_kill >= 20) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    server.Kill();
    sender.join();
    applied_at_kill = count("SELECT COUNT(*) FROM hazards WHERE title LIKE '断电测试 %'");
    EXPECT_GT(applied_at_kill, 0);
    EXPECT_LT(applied_at_kill, kMutations) << "the server finished before it was killed; the test proved nothing";

    ASSERT_TRUE(server.Start()) << server.Log();
    leader = server.Client();
    leader.Login("leader1");
    auto r = leader.Request("POST", "/api/v1/sync", body);
    ASSERT_EQ(r.status, 200) << r.body;
    int applied = 0;
    int duplicate = 0;
    const json::value answer = r.Json();
    for (const auto& result : answer.at("results").as_array()) {
        const auto status = result.at("status").as_string();
        applied += status == "applied" ? 1 : 0;
        duplicate += status == "duplicate" ? 1 : 0;
        EXPECT_NE(status, "rejected") << result;
    }
    EXPECT_EQ(applied + duplicate, kMutations);
    EXPECT_GE(duplicate, applied_at_kill);  // everything created before the kill is recognised
    EXPECT_EQ(count("SELECT COUNT(*) FROM hazards WHERE title LIKE '断电测试 %'"), kMutations);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT id) FROM hazards WHERE title LIKE '断电测试 %'"), kMutations);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT code) FROM hazards WHERE title LIKE '断电测试 %'"), kMutations);
    std::set<std::string> stored;
    for (const auto& row : db->Query("SELECT id FROM hazards WHERE title LIKE '断电测试 %'"))
        stored.insert(row.Text(0));
    EXPECT_EQ(stored, hazard_ids);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sync_mutations WHERE device_id = 'phone-kill'"), kMutations);
    // And once more: all duplicates, still 300.
    auto third = leader.Request("POST", "/api/v1/sync", body);
    const json::value third_answer = third.Json();
    for (const auto& result : third_answer.at("results").as_array()) EXPECT_EQ(result.at("status"), "duplicate");
    EXPECT_EQ(count("SELECT COUNT(*) FROM hazards WHERE title LIKE '断电测试 %'"), kMutations);
}

SAFELOOP_BOTH_BACKENDS(SyncKill);

}  // namespace
}  // namespace safeloop::testing
