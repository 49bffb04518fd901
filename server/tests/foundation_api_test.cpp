// The foundation's contract (CONTRACT.md): health, login and throttling, /me, /users, error shapes,
// the test clock, logout, and the permission of every route for every role.

#include "test_server.hpp"

#include "modules/audit/audit.hpp"
#include "modules/auth/roles.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <thread>

namespace safeloop::testing {
namespace {

namespace json = boost::json;

class FoundationApi : public ApiTest {};

TEST_P(FoundationApi, HealthzAnswersWithoutAuth) {
    auto r = Client().Get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Json().at("status").as_string(), "ok");
}

TEST_P(FoundationApi, LoginReturnsTokenAndUser) {
    auto c = Client();
    auto r = c.Post("/api/v1/auth/login", json::value{{"login", "leader1"}, {"password", "demo-2026"}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.Json().as_object();
    EXPECT_GE(body.at("token").as_string().size(), 32u);
    const auto& user = body.at("user").as_object();
    EXPECT_EQ(user.at("login").as_string(), "leader1");
    EXPECT_FALSE(user.at("name").as_string().empty());
    EXPECT_FALSE(user.at("id").as_string().empty());
    auto roles = user.at("roles").as_array();
    EXPECT_NE(std::find(roles.begin(), roles.end(), json::value("team_leader")), roles.end());
}

TEST_P(FoundationApi, WrongPasswordAndUnknownLoginAreBothInvalidCredentials) {
    auto c = Client();
    auto wrong = c.Post("/api/v1/auth/login", json::value{{"login", "leader1"}, {"password", "nope-nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.ErrorCode(), "invalid_credentials");
    auto unknown = c.Post("/api/v1/auth/login", json::value{{"login", "nobody"}, {"password", "demo-2026"}});
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(unknown.ErrorCode(), "invalid_credentials");
}

TEST_P(FoundationApi, RepeatedFailuresAreRefusedForThatLoginOnly) {
    auto c = Client();
    int unauthorized = 0;
    int refused = 0;
    for (int i = 0; i < 12; ++i) {
        auto r = c.Post("/api/v1/auth/login", json::value{{"login", "welder1"}, {"password", "wrong-password"}});
        if (r.status == 401) ++unauthorized;
        if (r.status == 429) {
            ++refused;
            EXPECT_EQ(r.ErrorCode(), "too_many_attempts");
            EXPECT_FALSE(r.Header("retry-after").empty());
        }
    }
    EXPECT_EQ(unauthorized + refused, 12);
    EXPECT_LE(unauthorized, 10);
    // Even the right password is refused now...
    auto right = c.Post("/api/v1/auth/login", json::value{{"login", "welder1"}, {"password", "demo-2026"}});
    EXPECT_EQ(right.status, 429);
    // ...while another login is unaffected.
    auto other = c.Post("/api/v1/auth/login", json::value{{"login", "welder2"}, {"password", "demo-2026"}});
    EXPECT_EQ(other.status, 200);
    // After the 15-minute window the right password works again.
    auto admin = Client().As("admin");
    ASSERT_EQ(admin.Post("/api/v1/test/clock", json::value{{"advance_s", 16 * 60}}).status, 200);
    auto later = c.Post("/api/v1/auth/login", json::value{{"login", "welder1"}, {"password", "demo-2026"}});
    EXPECT_EQ(later.status, 200) << later.body;
}

TEST_P(FoundationApi, MeShowsProfileSupervisorAndMobile) {
    auto leader = Client().As("leader1");
    auto r = leader.Get("/api/v1/me");
    ASSERT_EQ(r.status, 200) << r.body;
    auto me = r.Json().as_object();
    EXPECT_EQ(me.at("login").as_string(), "leader1");
    EXPECT_EQ(me.at("supervisor_id").as_string(), server().UserId("director1"));
    EXPECT_EQ(me.at("mobile").as_string().size(), 11u);
    EXPECT_TRUE(me.at("roles").is_array());
    EXPECT_FALSE(me.at("tenant").at("name").as_string().empty());
}

TEST_P(FoundationApi, UsersByLoginAnswersTheContractFields) {
    auto admin = Client().As("admin");
    auto r = admin.Get("/api/v1/users?login=welder1");
    ASSERT_EQ(r.status, 200) << r.body;
    auto items = r.Json().at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    const auto& u = items[0].as_object();
    for (const char* key : {"id", "login", "name", "mobile", "supervisor_id"}) {
        EXPECT_TRUE(u.contains(key)) << key;
    }
    EXPECT_EQ(u.at("supervisor_id").as_string(), server().UserId("leader1"));
}

TEST_P(FoundationApi, DemoLoginsAllExistWithDistinctMobiles) {
    auto admin = Client().As("admin");
    std::set<std::string> mobiles;
    size_t users = 0;
    std::string cursor;
    do {
        auto r = admin.Get("/api/v1/users?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200) << r.body;
        auto page = r.Json().as_object();
        for (const auto& item : page.at("items").as_array()) {
            ++users;
            mobiles.insert(std::string(item.at("mobile").as_string()));
        }
        cursor = page.at("next_cursor").is_string() ? std::string(page.at("next_cursor").as_string()) : "";
    } while (!cursor.empty());
    EXPECT_GE(users, 400u);
    EXPECT_EQ(mobiles.size(), users) << "every demo user has a distinct mobile";
    for (const char* login : {"admin", "safety", "leader1", "director1", "vp", "welder1", "welder2", "auditor"}) {
        TestClient c = Client();
        EXPECT_FALSE(c.Login(login).empty()) << login;
    }
}

TEST_P(FoundationApi, BadRequestsGetTheirOwnCodes) {
    auto c = Client();
    auto malformed = c.Post("/api/v1/auth/login", std::string("{\"login\": "));
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.ErrorCode(), "malformed_json");
    EXPECT_TRUE(malformed.Json().at("error").at("message").is_string());

    auto not_object = c.Post("/api/v1/auth/login", std::string("[1,2]"));
    EXPECT_EQ(not_object.status, 400);
    EXPECT_EQ(not_object.ErrorCode(), "invalid_body");

    auto wrong_type = c.Post("/api/v1/auth/login", json::value{{"login", 5}, {"password", "x"}});
    EXPECT_EQ(wrong_type.status, 422);
    EXPECT_EQ(wrong_type.ErrorCode(), "validation_failed");
    EXPECT_TRUE(wrong_type.Json().at("error").at("fields").as_object().contains("login"));

    auto missing = c.Post("/api/v1/auth/login", json::value{{"login", "admin"}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_TRUE(missing.Json().at("error").at("fields").as_object().contains("password"));

    auto unknown = c.Get("/api/v1/no-such-thing");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.ErrorCode(), "not_found");

    auto method = c.Request("DELETE", "/api/v1/auth/login");
    EXPECT_EQ(method.status, 405);
    EXPECT_EQ(method.ErrorCode(), "method_not_allowed");
    EXPECT_EQ(method.Header("allow"), "POST");

    std::string huge = "{\"login\":\"" + std::string(2 << 20, 'a') + "\",\"password\":\"x\"}";
    auto too_big = c.Post("/api/v1/auth/login", huge);
    EXPECT_EQ(too_big.status, 413);
    EXPECT_EQ(too_big.ErrorCode(), "payload_too_large");

    auto xml = c.Request("POST", "/api/v1/auth/login", "<login/>", "application/xml");
    EXPECT_EQ(xml.status, 415);
    EXPECT_EQ(xml.ErrorCode(), "unsupported_media_type");

    auto no_token = c.Get("/api/v1/me");
    EXPECT_EQ(no_token.status, 401);
    EXPECT_EQ(no_token.ErrorCode(), "unauthenticated");

    c.SetToken("forged-token-that-was-never-issued");
    auto forged = c.Get("/api/v1/me");
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.ErrorCode(), "unauthenticated");

    auto bad_escape = c.Get("/api/v1/users?login=%zz");
    EXPECT_EQ(bad_escape.status, 400);
}

TEST_P(FoundationApi, LogoutRevokesTheToken) {
    auto c = Client().As("welder2");
    ASSERT_EQ(c.Get("/api/v1/me").status, 200);
    EXPECT_EQ(c.Post("/api/v1/auth/logout", std::string()).status, 204);
    EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_P(FoundationApi, ASessionEndedBehindTheServersBackStopsWorkingWithinTheCacheTime) {
    // Another node or the command line revokes the session: this node notices within the principal cache's time to
    // live (api/principal_cache.hpp), without any request of its own to tell it.
    auto c = Client().As("welder2");
    ASSERT_EQ(c.Get("/api/v1/me").status, 200);
    {
        auto conn = server().app().pool().Acquire();
        ASSERT_EQ(conn->Exec("UPDATE sessions SET revoked_at = 1 WHERE revoked_at IS NULL AND user_id = (SELECT id "
                             "FROM users WHERE login = 'welder2')"),
                  1);
    }
    const auto started = std::chrono::steady_clock::now();
    int status = 200;
    while (status == 200 && std::chrono::steady_clock::now() - started < std::chrono::seconds(30)) {
        status = c.Get("/api/v1/me").status;
        if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    EXPECT_EQ(status, 401) << "still served 30 s after the session was revoked";
}

TEST_P(FoundationApi, TestClockMovesTimeForAdminOnly) {
    auto admin = Client().As("admin");
    auto before = admin.Get("/healthz").Json().at("time").as_string();
    auto r = admin.Post("/api/v1/test/clock", json::value{{"advance_s", 900}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto now = ParseRfc3339(std::string(r.Json().at("now").as_string()));
    auto then = ParseRfc3339(std::string(before));
    ASSERT_TRUE(now && then);
    auto moved = std::chrono::duration_cast<std::chrono::seconds>(*now - *then).count();
    EXPECT_GE(moved, 900);
    EXPECT_LT(moved, 960);  // the real seconds this test itself took, at most

    auto safety = Client().As("safety");
    EXPECT_EQ(safety.Post("/api/v1/test/clock", json::value{{"advance_s", 60}}).status, 403);
    EXPECT_EQ(admin.Post("/api/v1/test/clock", json::value{{"advance_s", -5}}).status, 422);
}

TEST_P(FoundationApi, StateChangesLeaveAVerifiableAuditChain) {
    Client().As("admin");
    Client().As("safety");
    auto conn = server().app().pool().Acquire();
    auto report = audit::Verify(*conn);
    EXPECT_TRUE(report.ok) << report.message;
    EXPECT_GE(report.entries, 2);
    // Editing history is detected.
    conn->Exec("UPDATE audit_log SET action = 'auth.logout' WHERE action = 'auth.login'");
    auto tampered = audit::Verify(*conn);
    EXPECT_FALSE(tampered.ok);
}

// Every route × every role: a role without the route's permission gets 403, one with it never gets
// 401/403; nobody ever gets a 500, whatever the (empty or broken) body.
TEST_P(FoundationApi, EveryRouteEnforcesItsPermissionForEveryRole) {
    struct Who {
        std::string login;
        TestClient client;
        std::set<std::string> permissions;
    };
    std::vector<Who> people;
    for (const char* login : {"admin", "safety", "director1", "leader1", "vp", "welder1", "auditor"}) {
        auto c = Client().As(login);
        auto me = c.Get("/api/v1/me").Json();
        std::set<std::string> perms;
        for (const auto& p : me.at("permissions").as_array()) perms.insert(std::string(p.as_string()));
        people.push_back({login, c, perms});
    }
    const std::string some_id = "01890000-0000-7000-8000-000000000000";
    size_t checked = 0;
    for (const auto& route : server().app().router().routes()) {
        if (route.pattern == "/api/v1/test/clock" || route.pattern == "/api/v1/auth/logout") continue;
        std::string path;
        for (const auto& seg : route.segments) path += "/" + (seg.front() == '{' ? some_id : seg);
        for (auto& who : people) {
            for (const std::string body : {"", "{}", "{\"x\":"}) {
                auto r = who.client.Request(route.method, path, body);
                EXPECT_LT(r.status, 500) << who.login << " " << route.method << " " << path << " body=" << body
                                         << " -> " << r.body.substr(0, 200);
                if (route.permission == api::kPublic || route.permission == api::kAuthenticated) {
                    EXPECT_NE(r.status, 403) << who.login << " " << route.method << " " << path;
                    continue;
                }
                bool allowed = who.permissions.count(route.permission) > 0;
                if (allowed) {
                    EXPECT_NE(r.status, 403) << who.login << " " << route.method << " " << path << ": " << r.body;
                    EXPECT_NE(r.status, 401) << who.login << " " << route.method << " " << path;
                } else {
                    EXPECT_EQ(r.status, 403) << who.login << " " << route.method << " " << path << ": " << r.body;
                    EXPECT_EQ(r.ErrorCode(), "forbidden");
                }
                ++checked;
            }
        }
        if (route.permission != api::kPublic) {
            auto anonymous = Client().Request(route.method, path, "{}");
            EXPECT_EQ(anonymous.status, 401) << route.method << " " << path;
        }
    }
    EXPECT_GT(checked, 100u);
}

SAFELOOP_BOTH_BACKENDS(FoundationApi);

TEST(FoundationApiNoManualClock, TestClockDoesNotExistWithoutTheFlag) {
    TestServer server(Backend::kSqlite, TestServer::Options{false, true});
    auto admin = server.Client().As("admin");
    auto r = admin.Post("/api/v1/test/clock", json::value{{"advance_s", 60}});
    EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace safeloop::testing
