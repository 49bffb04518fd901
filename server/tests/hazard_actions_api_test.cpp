// The detail's "actions" over HTTP (issue 13), on SQLite and PostgreSQL: for demo users and hazards in every
// status, every action the detail lists succeeds (each on a fresh hazard in the same state) and every action it
// does not list is refused (and changes nothing). The screens show their buttons from this list.

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "hazards_media.hpp"
#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

const std::vector<std::string> kAllActions = {"assign", "reassign",          "accept",          "rectify",
                                              "verify", "request_extension", "decide_extension"};
const std::vector<std::string> kUsers = {"welder1", "welder2",      "leader1", "director1",
                                         "safety",  "safety.chief", "admin",   "auditor"};

class HazardActionsApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        for (const auto& login : kUsers) clients_.emplace(login, Client().As(login));
    }

    const TestClient& As(const std::string& login) { return clients_.at(login); }

    // An after photo uploaded by `login` (blue hazards need one to be rectified).
    const std::string& Photo(const std::string& login) {
        auto it = photos_.find(login);
        if (it != photos_.end()) return it->second;
        auto r = As(login).Request("POST", "/api/v1/files", MakeJpeg(64, 48, static_cast<int>(photos_.size()) + 70),
                                   "image/jpeg");
        EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
        return photos_.emplace(login, std::string(r.Json().at("id").as_string())).first->second;
    }

    json::object Detail(const std::string& login, const std::string& id) {
        auto r = As(login).Get("/api/v1/hazards/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().as_object();
    }

    std::string Report(const std::string& login, const std::optional<std::string>& assignee) {
        json::object body{{"title", "按钮测试"}, {"description", "actions"}, {"category", "电气"}, {"grade", "blue"}};
        if (assignee) body["assignee_id"] = server().UserId(*assignee);
        auto r = As(login).Post("/api/v1/hazards", json::value(body));
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("id").as_string());
    }

    void Step(const std::string& login, const std::string& id, const std::string& action) {
        auto r = Try(login, id, action);
        ASSERT_TRUE(r.status == 200 || r.status == 201) << login << " " << action << ": " << r.body;
    }

    // Asks for `action` as `login` with a request that is valid in itself, so only the rules can refuse it.
    HttpResult Try(const std::string& login, const std::string& id, const std::string& action) {
        const TestClient& who = As(login);
        const std::string base = "/api/v1/hazards/" + id;
        if (action == "assign") {
            return who.Post(base + "/assign", json::value{{"assignee_id", server().UserId("welder1")}});
        }
        if (action == "reassign") {
            // Someone other than the current assignee.
            auto h = Detail("admin", id);
            const std::string other =
                h.at("assignee_id") == json::value(server().UserId("welder1")) ? "leader1" : "welder1";
            return who.Post(base + "/reassign",
                            json::value{{"assignee_id", server().UserId(other)}, {"reason", "换人处理"}});
        }
        if (action == "accept") return who.Post(base + "/accept", std::string());
        if (action == "rectify") {
            return who.Post(
                base + "/rectify",
                json::value{{"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", Photo(login)}}}},
                            {"note", "已处理"}});
        }
        if (action == "verify") return who.Post(base + "/verify", json::value{{"result", "pass"}, {"comment", "合格"}});
        if (action == "request_extension") {
            auto h = Detail("admin", id);
            auto due = ParseRfc3339(std::string(h.at("due_at").as_string()));
            return who.Post(
                base + "/extensions",
                json::value{{"reason", "等备件"}, {"new_due_at", FormatRfc3339(*due + std::chrono::hours(72))}});
        }
        if (action == "decide_extension") {
            auto h = Detail("admin", id);
            const auto& pending = h.at("pending_extension_id");
            // Without a pending request, the latest request (decided or lapsed) is named.
            std::string xid = pending.is_string() ? std::string(pending.as_string()) : "";
            if (xid.empty() && !h.at("extensions").as_array().empty()) {
                xid = std::string(h.at("extensions").as_array().back().at("id").as_string());
            }
            if (xid.empty()) xid = "0190a000-0000-7000-8000-000000000000";
            return who.Post(base + "/extensions/" + xid + "/decide", json::value{{"decision", "approve"}});
        }
        ADD_FAILURE() << "unknown action " << action;
        return {};
    }

    std::map<std::string, TestClient> clients_;
    std::map<std::string, std::string> photos_;
};

TEST_P(HazardActionsApi, EveryListedActionSucceedsAndEveryOtherIsRefused) {
    // Each scenario makes a fresh hazard in one state. welder2 is the assignee (welder1 names them), so their
    // team leader leader1 decides their extension requests.
    using Build = std::function<std::string()>;
    auto assigned = [&] { return Report("welder1", std::string("welder2")); };
    auto accepted = [&] {
        auto id = assigned();
        Step("welder2", id, "accept");
        return id;
    };
    auto pending = [&] {
        auto id = accepted();
        Step("welder2", id, "request_extension");
        return id;
    };
    auto submitted = [&] {
        auto id = accepted();
        Step("welder2", id, "rectify");
        return id;
    };
    auto rework = [&] {
        auto id = submitted();
        auto r = As("safety").Post("/api/v1/hazards/" + id + "/verify",
                                   json::value{{"result", "fail"}, {"comment", "照片不清"}});
        EXPECT_EQ(r.status, 200) << r.body;
        return id;
    };
    auto closed = [&] {
        auto id = submitted();
        Step("safety", id, "verify");
        return id;
    };
    // The safety officer rectified it themselves: they may not verify it, the other safety officer may.
    auto self_submitted = [&] {
        auto id = Report("welder1", std::string("safety"));
        Step("safety", id, "accept");
        Step("safety", id, "rectify");
        return id;
    };
    const std::vector<std::pair<std::string, Build>> scenarios = {
        // The safety officer's department has no team: nobody is found to assign it to.
        {"reported", [&] { return Report("safety", std::nullopt); }},
        {"assigned", assigned},
        {"accepted", accepted},
        {"accepted with a pending extension", pending},
        {"submitted", submitted},
        {"rework", rework},
        {"closed", closed},
        {"submitted by the safety officer", self_submitted},
    };

    std::set<std::string> ever_listed;
    for (const auto& [name, build] : scenarios) {
        const std::string base = build();
        const auto before = Detail("admin", base);
        if (name == "reported") {
            ASSERT_EQ(before.at("status").as_string(), "reported");
        }
        for (const auto& login : kUsers) {
            std::set<std::string> listed;
            auto got = As(login).Get("/api/v1/hazards/" + base);
            if (got.status == 200) {
                const json::value detail = got.Json();
                for (const auto& a : detail.at("actions").as_array()) listed.insert(std::string(a.as_string()));
            } else {
                EXPECT_EQ(got.status, 404) << got.body;  // outside their scope: nothing offered, nothing allowed
            }
            for (const auto& action : kAllActions) {
                const std::string what = name + ": " + login + " " + action;
                if (listed.contains(action)) {
                    ever_listed.insert(action);
                    const std::string fresh = build();
                    auto r = Try(login, fresh, action);
                    EXPECT_TRUE(r.status == 200 || r.status == 201) << what << " is listed but answers " << r.body;
                } else {
                    auto r = Try(login, base, action);
                    EXPECT_TRUE(r.status == 403 || r.status == 404 || r.status == 409)
                        << what << " is not listed but answers " << r.status << " " << r.body;
                }
            }
        }
        // The refusals changed nothing.
        EXPECT_EQ(Detail("admin", base).at("version"), before.at("version")) << name;
    }
    // Every action was offered to somebody somewhere (the test exercised successes, not only refusals).
    EXPECT_EQ(ever_listed, std::set<std::string>(kAllActions.begin(), kAllActions.end()));
}

TEST_P(HazardActionsApi, NobodyIsOfferedTheVerificationOfTheirOwnRectification) {
    const std::string id = Report("welder1", std::string("safety"));
    Step("safety", id, "accept");
    Step("safety", id, "rectify");
    auto own = Detail("safety", id);
    EXPECT_EQ(own.at("status").as_string(), "submitted");
    EXPECT_EQ(own.at("actions"), json::array{});
    EXPECT_EQ(Try("safety", id, "verify").status, 403);
    EXPECT_EQ(Detail("safety.chief", id).at("actions"), json::array{"verify"});
    // Every write answers with the detail, and its actions are the writer's: after accepting, rectify is next.
    const std::string next = Report("welder1", std::string("welder2"));
    auto accepted = As("welder2").Post("/api/v1/hazards/" + next + "/accept", std::string());
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(accepted.Json().at("actions"), (json::array{"rectify", "request_extension"}));
    auto created = As("welder1").Post("/api/v1/hazards",
                                      json::value{{"title", "新隐患"}, {"category", "电气"}, {"grade", "blue"}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json().at("actions"), json::array{});  // the reporter, a worker, holds nothing to do on it
}

SAFELOOP_BOTH_BACKENDS(HazardActionsApi);

}  // namespace
}  // namespace safeloop::testing
