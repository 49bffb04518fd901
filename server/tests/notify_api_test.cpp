// Outbound messages end to end (CONTRACT.md "Outbound messages", PUT /settings/notify, POST /test/clock):
// channel settings, the SMS / WeCom / DingTalk request formats as a real local gateway receives them,
// retries with backoff that move only with the server's clock, exactly one delivery per message across
// failures, timeouts, a restart and two servers, the delivery log, and in-app notifications with their
// live stream.

#include <curl/curl.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "db/db.hpp"
#include "fake_gateway.hpp"
#include "jobs/scheduler.hpp"
#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

json::object Obj(const HttpResult& r) {
    auto v = r.Json();
    EXPECT_TRUE(v.is_object()) << r.body;
    return v.is_object() ? v.as_object() : json::object{};
}

std::string Str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

// Reads a Server-Sent Events stream on its own thread until destroyed.
class SseReader {
public:
    SseReader(const std::string& url, const std::string& token) {
        thread_ = std::thread([this, url, token] { Run(url, token); });
    }
    ~SseReader() {
        stop_ = true;
        thread_.join();
    }
    SseReader(const SseReader&) = delete;
    SseReader& operator=(const SseReader&) = delete;

    bool WaitFor(const std::string& needle, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return data_.find(needle) != std::string::npos; });
    }
    std::string data() {
        std::lock_guard lock(mutex_);
        return data_;
    }
    std::string headers() {
        std::lock_guard lock(mutex_);
        return headers_;
    }

private:
    static size_t OnData(char* p, size_t size, size_t n, void* user) {
        auto* self = static_cast<SseReader*>(user);
        {
            std::lock_guard lock(self->mutex_);
            self->data_.append(p, size * n);
        }
        self->changed_.notify_all();
        return self->stop_ ? 0 : size * n;
    }
    static size_t OnHeader(char* p, size_t size, size_t n, void* user) {
        auto* self = static_cast<SseReader*>(user);
        std::lock_guard lock(self->mutex_);
        self->headers_.append(p, size * n);
        return size * n;
    }
    static int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        return static_cast<SseReader*>(user)->stop_ ? 1 : 0;
    }
    void Run(const std::string& url, const std::string& token) {
        CURL* curl = curl_easy_init();
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
        headers = curl_slist_append(headers, "Accept: text/event-stream");
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnData);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
        curl_easy_perform(curl);
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
    }

    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string data_;
    std::string headers_;
    std::thread thread_;
};

class NotifyApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        admin_.emplace(As("admin"));
    }

    TestClient& admin() { return *admin_; }

    void PutSettings(const json::object& settings) {
        auto r = admin().Put("/api/v1/settings/notify", settings);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    void ConfigureSms() { PutSettings({{"sms", json::object{{"url", gateway_.Url("/sms")}}}}); }

    // POST /test/clock; answers the server's time in ms.
    int64_t Tick(int64_t advance_s = 0, TestClient* client = nullptr) {
        auto r = (client ? *client : admin()).Post("/api/v1/test/clock", json::value{{"advance_s", advance_s}});
        EXPECT_EQ(r.status, 200) << r.body;
        auto now = ParseRfc3339(Str(Obj(r)["now"]));
        EXPECT_TRUE(now.has_value());
        return now ? ToUnixMillis(*now) : 0;
    }

    std::string SendTest(const json::object& body, TestClient* client = nullptr) {
        auto r = (client ? *client : admin()).Post("/api/v1/settings/notify/test", body);
        EXPECT_EQ(r.status, 202) << r.body;
        return Str(Obj(r)["id"]);
    }

    json::object Message(const std::string& id, TestClient* client = nullptr) {
        auto r = (client ? *client : admin()).Get("/api/v1/outbox/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return Obj(r);
    }

    std::string Mobile(const std::string& login) {
        auto r = admin().Get("/api/v1/users?login=" + login);
        return Str(r.Json().at("items").at(0).at("mobile"));
    }

    FakeGateway gateway_;  // outlives the server (members are destroyed after TearDown)
    std::optional<TestClient> admin_;
};

// ---- settings ----

TEST_P(NotifyApi, SettingsAreValidatedStoredAndShownWithTheSecretMasked) {
    json::object bad{{"sms", json::object{{"url", "ftp://gw/sms"}}},
                     {"wecom", json::object{{"webhook", "not a url"}}},
                     {"dingtalk", json::object{{"secret", "x"}}}};
    auto refused = admin().Put("/api/v1/settings/notify", bad);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "validation_failed");
    auto fields = Obj(refused)["error"].as_object()["fields"].as_object();
    EXPECT_TRUE(fields.contains("sms.url"));
    EXPECT_TRUE(fields.contains("wecom.webhook"));
    EXPECT_TRUE(fields.contains("dingtalk.webhook"));
    EXPECT_EQ(admin().Put("/api/v1/settings/notify", json::object{{"sms", "http://x"}}).status, 422);

    const std::string secret = "SECabcdefghijklmnopqrstuvwxyz0123456789";
    json::object good{{"sms", json::object{{"url", "http://127.0.0.1:9/sms"}}},
                      {"wecom", json::object{{"webhook", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}}},
                      {"dingtalk", json::object{{"webhook", "https://oapi.dingtalk.com/robot/send?access_token=t"},
                                                {"secret", secret}}}};
    PutSettings(good);
    auto shown = Obj(admin().Get("/api/v1/settings/notify"));
    EXPECT_EQ(Str(shown["sms"].at("url")), "http://127.0.0.1:9/sms");
    EXPECT_EQ(Str(shown["wecom"].at("webhook")), "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
    const std::string masked = Str(shown["dingtalk"].at("secret"));
    EXPECT_NE(masked, secret);
    EXPECT_EQ(json::serialize(shown).find("ghijklmnop"), std::string::npos) << "the secret never leaves the server";
    EXPECT_TRUE(shown["dingtalk"].at("signed").as_bool());

    // Sending the settings back as shown keeps the real secret.
    json::object again = shown;
    again.erase("dingtalk");
    again["dingtalk"] =
        json::object{{"webhook", "https://oapi.dingtalk.com/robot/send?access_token=t"}, {"secret", masked}};
    PutSettings(again);
    auto conn = db::Connect(server().config().DatabaseUrl());
    auto row = conn->QueryOne("SELECT value_json FROM tenant_settings WHERE key = 'notify'");
    ASSERT_TRUE(row);
    EXPECT_NE(row->Text(0).find(secret), std::string::npos);

    // Safety officers may read, not change; workers neither.
    auto safety = As("safety");
    EXPECT_EQ(safety.Get("/api/v1/settings/notify").status, 200);
    EXPECT_EQ(safety.Put("/api/v1/settings/notify", good).status, 403);
    auto welder = As("welder1");
    EXPECT_EQ(welder.Get("/api/v1/settings/notify").status, 403);
    EXPECT_EQ(welder.Put("/api/v1/settings/notify", good).status, 403);
    EXPECT_EQ(welder.Post("/api/v1/settings/notify/test", json::value{{"channel", "sms"}}).status, 403);
}

TEST_P(NotifyApi, ATestMessageNeedsAConfiguredChannel) {
    auto r = admin().Post("/api/v1/settings/notify/test", json::value{{"channel", "wecom"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.ErrorCode(), "channel_not_configured");
    EXPECT_EQ(admin().Post("/api/v1/settings/notify/test", json::value{{"channel", "fax"}}).status, 422);
    EXPECT_EQ(admin().Post("/api/v1/settings/notify/test", json::value{{"channel", "sms"}, {"to", "abc"}}).status, 422);
}

// ---- SMS ----

TEST_P(NotifyApi, ATestSmsReachesTheGatewayInTheContractFormatWithinSeconds) {
    ConfigureSms();
    const std::string id = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    auto started = std::chrono::steady_clock::now();
    Tick();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "what /test/clock makes due is sent within 5 s";
    ASSERT_EQ(gateway_.Count(), 1u);
    auto req = gateway_.Requests()[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.path, "/sms");
    EXPECT_NE(req.Header("content-type").find("application/json"), std::string::npos);
    auto message = Message(id);
    // Exactly {"to","text","ref"}, in that order.
    auto body = json::parse(req.body).as_object();
    ASSERT_EQ(body.size(), 3u) << req.body;
    EXPECT_EQ(req.body.rfind(R"({"to":"13912345678","text":")", 0), 0u) << req.body;
    EXPECT_EQ(Str(body["to"]), "13912345678");
    EXPECT_EQ(Str(body["text"]), Str(message["text"]));
    EXPECT_EQ(Str(body["ref"]), Str(message["ref_id"]));
    EXPECT_EQ(req.Header("idempotency-key"), Str(message["idempotency_key"]));

    EXPECT_EQ(Str(message["status"]), "sent");
    EXPECT_EQ(message["attempts"].as_int64(), 1);
    ASSERT_EQ(message["attempt_log"].as_array().size(), 1u);
    EXPECT_EQ(message["attempt_log"].at(0).at("http_status").as_int64(), 200);
    EXPECT_FALSE(message["sent_at"].is_null());

    // Without "to", an SMS test goes to the caller's own mobile exactly as /users shows it.
    SendTest({{"channel", "sms"}});
    Tick();
    ASSERT_EQ(gateway_.Count(), 2u);
    EXPECT_EQ(Str(json::parse(gateway_.Requests()[1].body).at("to")), Mobile("admin"));

    // Nothing is sent again, however far the clock goes.
    Tick(24 * 3600);
    EXPECT_EQ(gateway_.Count(), 2u);
}

TEST_P(NotifyApi, AGatewayFailingThreeTimesGetsTheMessageOnceWithRetriesOnlyAsTheClockMoves) {
    ConfigureSms();
    gateway_.FailNext(3, 500);
    const std::string id = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    Tick();
    EXPECT_EQ(gateway_.Count(), 1u);
    // The background scheduler keeps running, but a retry waits for the server's clock.
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(gateway_.Count(), 1u);
    auto pending = Message(id);
    EXPECT_EQ(Str(pending["status"]), "pending");
    EXPECT_EQ(Str(pending["last_error"]), "HTTP 500");

    Tick(9);  // 10 s after the first try is the second
    EXPECT_EQ(gateway_.Count(), 1u);
    Tick(1);
    EXPECT_EQ(gateway_.Count(), 2u);
    Tick(19);  // then 20 s
    EXPECT_EQ(gateway_.Count(), 2u);
    Tick(1);
    EXPECT_EQ(gateway_.Count(), 3u);
    Tick(39);  // then 40 s
    EXPECT_EQ(gateway_.Count(), 3u);
    Tick(1);
    EXPECT_EQ(gateway_.Count(), 4u);
    Tick(3600);
    EXPECT_EQ(gateway_.Count(), 4u);

    EXPECT_EQ(gateway_.Accepted(), 1u);
    std::set<std::string> keys;
    for (const auto& r : gateway_.Requests()) keys.insert(r.Header("idempotency-key"));
    EXPECT_EQ(keys.size(), 1u) << "every try carries the same Idempotency-Key";

    auto sent = Message(id);
    EXPECT_EQ(Str(sent["status"]), "sent");
    EXPECT_EQ(sent["attempts"].as_int64(), 4);
    auto log = sent["attempt_log"].as_array();
    ASSERT_EQ(log.size(), 4u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(log[i].at("http_status").as_int64(), 500);
        EXPECT_EQ(Str(log[i].at("error")), "HTTP 500");
    }
    EXPECT_EQ(log[3].at("http_status").as_int64(), 200);
    EXPECT_EQ(Str(log[3].at("error")), "");
    // Tries happened 0, 10, 30 and 70 s after the first.
    auto at = [&](size_t i) { return ToUnixMillis(*ParseRfc3339(Str(log[i].at("at")))); };
    EXPECT_EQ(at(1) - at(0), 10'000);
    EXPECT_EQ(at(2) - at(0), 30'000);
    EXPECT_EQ(at(3) - at(0), 70'000);
}

TEST_P(NotifyApi, AHangingGatewayTimesOutAndTheMessageIsRetried) {
    ConfigureSms();
    gateway_.HangNext(1, 8s);
    const std::string id = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    auto started = std::chrono::steady_clock::now();
    Tick();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 7s) << "the HTTP timeout bounds the send";
    auto pending = Message(id);
    EXPECT_EQ(Str(pending["status"]), "pending");
    auto log = pending["attempt_log"].as_array();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_TRUE(log[0].at("http_status").is_null());
    EXPECT_FALSE(Str(log[0].at("error")).empty());

    Tick(10);
    EXPECT_EQ(Str(Message(id)["status"]), "sent");
    ASSERT_EQ(gateway_.Count(), 2u);
    EXPECT_EQ(gateway_.Requests()[0].Header("idempotency-key"), gateway_.Requests()[1].Header("idempotency-key"));
}

TEST_P(NotifyApi, SmsWaitsForAGatewayButAnUnconfiguredRobotIsDeadUntilRetried) {
    ConfigureSms();
    PutSettings({{"sms", json::object{{"url", gateway_.Url("/sms")}}},
                 {"wecom", json::object{{"webhook", gateway_.Url("/wecom")}}}});
    const std::string sms = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    const std::string robot = SendTest({{"channel", "wecom"}});
    PutSettings({});  // every channel removed before anything was sent
    Tick();
    EXPECT_EQ(gateway_.Count(), 0u);

    auto waiting = Message(sms);
    EXPECT_EQ(Str(waiting["status"]), "pending");
    EXPECT_NE(Str(waiting["last_error"]).find("SMS"), std::string::npos);
    auto dead = Message(robot);
    EXPECT_EQ(Str(dead["status"]), "dead");
    EXPECT_NE(Str(dead["last_error"]).find("WeCom"), std::string::npos);
    auto listed = Obj(admin().Get("/api/v1/outbox?status=dead"));
    ASSERT_EQ(listed["items"].as_array().size(), 1u);
    EXPECT_EQ(Str(listed["items"].at(0).at("id")), robot);

    PutSettings({{"sms", json::object{{"url", gateway_.Url("/sms")}}},
                 {"wecom", json::object{{"webhook", gateway_.Url("/wecom")}}}});
    Tick(10);
    EXPECT_EQ(Str(Message(sms)["status"]), "sent");
    EXPECT_EQ(Str(Message(robot)["status"]), "dead") << "dead stays dead until someone retries it";

    EXPECT_EQ(As("safety").Post("/api/v1/outbox/" + robot + "/retry", std::string()).status, 403);
    auto retried = admin().Post("/api/v1/outbox/" + robot + "/retry", std::string());
    ASSERT_EQ(retried.status, 200) << retried.body;
    EXPECT_EQ(Str(Obj(retried)["status"]), "pending");
    Tick();
    EXPECT_EQ(Str(Message(robot)["status"]), "sent");
    EXPECT_EQ(gateway_.Count(), 2u);
    // A sent message cannot be sent again.
    auto again = admin().Post("/api/v1/outbox/" + robot + "/retry", std::string());
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorCode(), "invalid_transition");
}

// ---- restarts and several servers ----

TEST_P(NotifyApi, ARestartBetweenEnqueueAndSendLosesNothingAndSendsOnce) {
    ConfigureSms();
    server().app().scheduler().Stop();  // nothing is sent before the restart
    const std::string id = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    server().app().Stop();
    EXPECT_EQ(gateway_.Count(), 0u);

    auto restarted = std::make_unique<app::App>(server().config());
    TestClient client("http://127.0.0.1:" + std::to_string(restarted->Start()));
    client.SetToken(admin().token());  // sessions live in the database
    Tick(0, &client);
    EXPECT_EQ(gateway_.Count(), 1u);
    Tick(3600, &client);
    EXPECT_EQ(gateway_.Count(), 1u);
    auto sent = Message(id, &client);
    EXPECT_EQ(Str(sent["status"]), "sent");
    EXPECT_EQ(sent["attempts"].as_int64(), 1);
    restarted.reset();
}

TEST_P(NotifyApi, ASenderThatStoppedMidSendIsTakenOverAfterItsLease) {
    ConfigureSms();
    server().app().scheduler().Stop();
    const std::string id = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    // Another process leased the message and died before recording anything. (The server's time comes
    // from /healthz: a /test/clock call here would send the message.)
    const int64_t now = ToUnixMillis(*ParseRfc3339(Str(Obj(Client().Get("/healthz"))["time"])));
    {
        auto conn = db::Connect(server().config().DatabaseUrl());
        conn->Exec(
            "UPDATE outbox SET status = 'sending', attempts = 1, locked_until = $2, lease_token = 'gone' "
            "WHERE id = $1",
            {id, now + 60'000});
    }
    Tick(30);
    EXPECT_EQ(gateway_.Count(), 0u) << "the lease still holds";
    Tick(31);
    EXPECT_EQ(gateway_.Count(), 1u);
    auto sent = Message(id);
    EXPECT_EQ(Str(sent["status"]), "sent");
    auto log = sent["attempt_log"].as_array();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_NE(Str(log[0].at("error")).find("unknown"), std::string::npos);
    EXPECT_EQ(log[1].at("http_status").as_int64(), 200);
}

TEST_P(NotifyApi, TwoServersOnOneDatabaseSendEachMessageOnce) {
    ConfigureSms();
    constexpr int kMessages = 20;
    std::set<std::string> ids;
    for (int i = 0; i < kMessages; ++i) ids.insert(SendTest({{"channel", "sms"}, {"to", "13912345678"}}));
    auto second = std::make_unique<app::App>(server().config());
    TestClient other("http://127.0.0.1:" + std::to_string(second->Start()));
    other.SetToken(admin().token());
    std::thread a([&] {
        for (int i = 0; i < 3; ++i) Tick();
    });
    std::thread b([&] {
        for (int i = 0; i < 3; ++i) Tick(0, &other);
    });
    a.join();
    b.join();
    second.reset();
    Tick();
    EXPECT_EQ(gateway_.Count(), static_cast<size_t>(kMessages));
    std::set<std::string> keys;
    for (const auto& r : gateway_.Requests()) keys.insert(r.Header("idempotency-key"));
    EXPECT_EQ(keys.size(), static_cast<size_t>(kMessages));
    for (const auto& id : ids) EXPECT_EQ(Str(Message(id)["status"]), "sent") << id;
}

// ---- group robots ----

TEST_P(NotifyApi, DingTalkRequestsCarryAValidTimestampAndSignature) {
    const std::string secret = "SECdingtalk-test-secret-0123456789";
    PutSettings(
        {{"dingtalk", json::object{{"webhook", gateway_.Url("/robot/send?access_token=tok")}, {"secret", secret}}}});
    const std::string id = SendTest({{"channel", "dingtalk"}, {"to", "13800000001"}});
    const int64_t now = Tick();
    ASSERT_EQ(gateway_.Count(), 1u);
    auto req = gateway_.Requests()[0];
    EXPECT_EQ(req.path, "/robot/send");
    EXPECT_EQ(req.query["access_token"], "tok");
    ASSERT_TRUE(req.query.count("timestamp") && req.query.count("sign")) << req.target;
    const std::string timestamp = req.query["timestamp"];
    EXPECT_EQ(timestamp, std::to_string(now)) << "signed at the server's clock";
    EXPECT_EQ(req.query["sign"], Base64Encode(HmacSha256(secret, timestamp + "\n" + secret)));
    // In the raw query the signature is percent-encoded (base64's + / = would otherwise break it).
    const std::string raw_sign = req.target.substr(req.target.find("&sign=") + 6);
    EXPECT_EQ(raw_sign.find_first_of("+/="), std::string::npos) << raw_sign;
    auto body = json::parse(req.body).as_object();
    EXPECT_EQ(Str(body["msgtype"]), "text");
    EXPECT_NE(Str(body["text"].at("content")).find("@13800000001"), std::string::npos);
    EXPECT_EQ(body["at"].at("atMobiles"), json::value(json::array{"13800000001"}));
    EXPECT_EQ(Str(Message(id)["status"]), "sent");

    // DingTalk answers 200 with an errcode when it refuses: that is a failure, retried.
    gateway_.SetAnswer(200, R"({"errcode":310000,"errmsg":"sign not match"})");
    const std::string refused = SendTest({{"channel", "dingtalk"}});
    Tick();
    auto m = Message(refused);
    EXPECT_EQ(Str(m["status"]), "pending");
    EXPECT_EQ(Str(m["last_error"]), "errcode 310000: sign not match");
}

TEST_P(NotifyApi, WeComRequestsUseTheTextRobotFormat) {
    PutSettings({{"wecom", json::object{{"webhook", gateway_.Url("/cgi-bin/webhook/send?key=k1")}}}});
    const std::string id = SendTest({{"channel", "wecom"}, {"to", "13800000002"}});
    Tick();
    ASSERT_EQ(gateway_.Count(), 1u);
    auto req = gateway_.Requests()[0];
    EXPECT_EQ(req.path, "/cgi-bin/webhook/send");
    EXPECT_EQ(req.query["key"], "k1");
    auto body = json::parse(req.body).as_object();
    EXPECT_EQ(body.size(), 2u);
    EXPECT_EQ(Str(body["msgtype"]), "text");
    auto text = body["text"].as_object();
    EXPECT_FALSE(Str(text["content"]).empty());
    EXPECT_EQ(text["mentioned_mobile_list"], json::value(json::array{"13800000002"}));
    EXPECT_EQ(Str(Message(id)["status"]), "sent");
}

// ---- delivery log ----

TEST_P(NotifyApi, TheDeliveryLogIsForSafetyAndAdminsAndFiltersAndPages) {
    ConfigureSms();
    const std::string first = SendTest({{"channel", "sms"}, {"to", "13912345678"}});
    const std::string second = SendTest({{"channel", "sms"}, {"to", "13912345679"}});
    Tick();
    auto safety = As("safety");
    auto all = safety.Get("/api/v1/outbox?channel=sms&status=sent");
    ASSERT_EQ(all.status, 200) << all.body;
    auto items = Obj(all)["items"].as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(Str(items[0].at("id")), second) << "newest first";
    EXPECT_EQ(items[0].at("attempt_log").as_array().size(), 1u);

    auto page1 = Obj(safety.Get("/api/v1/outbox?limit=1"));
    ASSERT_EQ(page1["items"].as_array().size(), 1u);
    ASSERT_TRUE(page1["next_cursor"].is_string());
    auto page2 = Obj(safety.Get("/api/v1/outbox?limit=1&cursor=" + Str(page1["next_cursor"])));
    ASSERT_EQ(page2["items"].as_array().size(), 1u);
    EXPECT_EQ(Str(page2["items"].at(0).at("id")), first);
    EXPECT_TRUE(page2["next_cursor"].is_null());

    auto by_ref = Obj(safety.Get("/api/v1/outbox?ref_id=" + Str(Message(first)["ref_id"])));
    ASSERT_EQ(by_ref["items"].as_array().size(), 1u);
    EXPECT_EQ(Obj(safety.Get("/api/v1/outbox?channel=wecom"))["items"].as_array().size(), 0u);
    EXPECT_EQ(safety.Get("/api/v1/outbox?status=lost").status, 400);
    EXPECT_EQ(safety.Get("/api/v1/outbox?cursor=nope").status, 400);
    EXPECT_EQ(safety.Get("/api/v1/outbox/" + first).status, 200);

    auto welder = As("welder1");
    EXPECT_EQ(welder.Get("/api/v1/outbox").status, 403);
    EXPECT_EQ(welder.Get("/api/v1/outbox/" + first).status, 403);
}

// ---- in-app ----

TEST_P(NotifyApi, InAppNotificationsAreListedMarkedReadAndPrivate) {
    const std::string outbox_id = SendTest({{"channel", "app"}});
    auto message = Message(outbox_id);
    EXPECT_EQ(Str(message["status"]), "sent") << "in-app messages are delivered with the event";

    auto list = Obj(admin().Get("/api/v1/notifications"));
    ASSERT_EQ(list["items"].as_array().size(), 1u);
    EXPECT_EQ(list["unread_count"].as_int64(), 1);
    auto item = list["items"].at(0).as_object();
    const std::string id = Str(item["id"]);
    EXPECT_EQ(Str(item["ref_type"]), "notify_test");
    EXPECT_TRUE(item["read_at"].is_null());

    // Someone else neither sees nor marks it.
    auto welder = As("welder1");
    EXPECT_EQ(Obj(welder.Get("/api/v1/notifications"))["items"].as_array().size(), 0u);
    EXPECT_EQ(welder.Post("/api/v1/notifications/" + id + "/read", std::string()).status, 404);

    auto read = admin().Post("/api/v1/notifications/" + id + "/read", std::string());
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_FALSE(Obj(read)["read_at"].is_null());
    auto unread = Obj(admin().Get("/api/v1/notifications?unread=true"));
    EXPECT_EQ(unread["items"].as_array().size(), 0u);
    EXPECT_EQ(unread["unread_count"].as_int64(), 0);

    SendTest({{"channel", "app"}});
    SendTest({{"channel", "app"}});
    auto all_read = admin().Post("/api/v1/notifications/read-all", std::string());
    ASSERT_EQ(all_read.status, 200);
    EXPECT_EQ(Obj(all_read)["updated"].as_int64(), 2);
    auto paged = Obj(admin().Get("/api/v1/notifications?limit=2"));
    EXPECT_EQ(paged["items"].as_array().size(), 2u);
    ASSERT_TRUE(paged["next_cursor"].is_string());
    auto rest = Obj(admin().Get("/api/v1/notifications?limit=2&cursor=" + Str(paged["next_cursor"])));
    ASSERT_EQ(rest["items"].as_array().size(), 1u);
    EXPECT_EQ(Str(rest["items"].at(0).at("id")), id);
    EXPECT_EQ(admin().Get("/api/v1/notifications?unread=maybe").status, 400);
}

TEST_P(NotifyApi, TheStreamPushesNewNotificationsLive) {
    // Without Accept: text/event-stream it is refused rather than left hanging.
    EXPECT_EQ(admin().Get("/api/v1/notifications/stream").status, 406);

    SseReader reader(server().base_url() + "/api/v1/notifications/stream", admin().token());
    ASSERT_TRUE(reader.WaitFor("event: ready", 5s)) << reader.data();
    EXPECT_NE(reader.headers().find("text/event-stream"), std::string::npos) << reader.headers();
    EXPECT_NE(reader.headers().find(" 200"), std::string::npos) << reader.headers();

    SendTest({{"channel", "app"}});
    Tick();
    auto list = Obj(admin().Get("/api/v1/notifications"));
    ASSERT_EQ(list["items"].as_array().size(), 1u);
    const std::string id = Str(list["items"].at(0).at("id"));
    ASSERT_TRUE(reader.WaitFor("event: notification", 5s)) << reader.data();
    EXPECT_NE(reader.data().find(id), std::string::npos) << reader.data();
}

SAFELOOP_BOTH_BACKENDS(NotifyApi);

}  // namespace
}  // namespace safeloop::testing
