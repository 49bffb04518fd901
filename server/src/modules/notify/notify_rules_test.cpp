#include "modules/notify/notify_rules.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.hpp"

namespace safeloop::notify {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(NotifyRules, RetryDelayDoublesFromTenSecondsAndStopsAtOneHour) {
    EXPECT_EQ(RetryDelay(1), seconds(10));
    EXPECT_EQ(RetryDelay(2), seconds(20));
    EXPECT_EQ(RetryDelay(3), seconds(40));
    EXPECT_EQ(RetryDelay(4), seconds(80));
    EXPECT_EQ(RetryDelay(9), seconds(2560));
    EXPECT_EQ(RetryDelay(10), hours(1));  // 5120 s would exceed the cap
    EXPECT_EQ(RetryDelay(14), hours(1));
    EXPECT_EQ(RetryDelay(1000), hours(1));
    EXPECT_EQ(RetryDelay(0), seconds(10));
    EXPECT_EQ(RetryDelay(-3), seconds(10));
}

TEST(NotifyRules, FifteenthFailureIsDeadAndPermanentFailuresAreDeadAtOnce) {
    EXPECT_EQ(AfterFailure(1, false), Verdict::kRetry);
    EXPECT_EQ(AfterFailure(14, false), Verdict::kRetry);
    EXPECT_EQ(AfterFailure(15, false), Verdict::kDead);
    EXPECT_EQ(AfterFailure(1, true), Verdict::kDead);
}

TEST(NotifyRules, ChannelNamesRoundTrip) {
    for (Channel c : {Channel::kSms, Channel::kWeCom, Channel::kDingTalk, Channel::kApp}) {
        EXPECT_EQ(ParseChannel(ChannelName(c)), c);
    }
    EXPECT_EQ(ChannelName(Channel::kDingTalk), "dingtalk");
    EXPECT_FALSE(ParseChannel("email"));
    EXPECT_FALSE(ParseChannel("SMS"));
}

TEST(NotifyRules, PlausibleMobiles) {
    EXPECT_TRUE(IsPlausibleMobile("13800000001"));
    EXPECT_TRUE(IsPlausibleMobile("+86 138-0000-0001"));
    EXPECT_FALSE(IsPlausibleMobile("12"));
    EXPECT_FALSE(IsPlausibleMobile("+-- --"));
    EXPECT_FALSE(IsPlausibleMobile("1380000000a"));
    EXPECT_FALSE(IsPlausibleMobile(std::string(21, '1')));
}

TEST(NotifyRules, HttpUrlsOnly) {
    EXPECT_TRUE(IsHttpUrl("http://127.0.0.1:8080/sms"));
    EXPECT_TRUE(IsHttpUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"));
    EXPECT_TRUE(IsHttpUrl("HTTPS://oapi.dingtalk.com/robot/send?access_token=x"));
    EXPECT_FALSE(IsHttpUrl(""));
    EXPECT_FALSE(IsHttpUrl("ftp://example.com/x"));
    EXPECT_FALSE(IsHttpUrl("javascript:alert(1)"));
    EXPECT_FALSE(IsHttpUrl("http://"));
    EXPECT_FALSE(IsHttpUrl("example.com/sms"));
    EXPECT_FALSE(IsHttpUrl("http://exa mple.com/"));
    EXPECT_FALSE(IsHttpUrl("http://example.com/\n"));
    EXPECT_FALSE(IsHttpUrl("http://example.com/" + std::string(kMaxUrlChars, 'a')));
}

TEST(NotifyRules, SmsBodyIsExactlyToTextRef) {
    EXPECT_EQ(SmsBody("13800000001", "隐患超时未接收", "018f-ref"),
              R"({"to":"13800000001","text":"隐患超时未接收","ref":"018f-ref"})");
    // Quotes and control characters are escaped as JSON.
    EXPECT_EQ(SmsBody("1", "a\"b\nc", "r"), R"({"to":"1","text":"a\"b\nc","ref":"r"})");
}

TEST(NotifyRules, WeComBodyIsTheTextRobotFormat) {
    EXPECT_EQ(WeComBody("标题\n正文", {"13800000001"}),
              R"({"msgtype":"text","text":{"content":"标题\n正文","mentioned_mobile_list":["13800000001"]}})");
    EXPECT_EQ(WeComBody("x", {}), R"({"msgtype":"text","text":{"content":"x","mentioned_mobile_list":[]}})");
}

TEST(NotifyRules, DingTalkBodyIsTheTextRobotFormat) {
    EXPECT_EQ(DingTalkBody("内容 @13800000001", {"13800000001"}),
              R"({"msgtype":"text","text":{"content":"内容 @13800000001"},"at":{"atMobiles":["13800000001"]}})");
}

TEST(NotifyRules, RobotContentJoinsTitleAndText) {
    EXPECT_EQ(RobotContent("T", "body"), "T\nbody");
    EXPECT_EQ(RobotContent("", "body"), "body");
    EXPECT_EQ(RobotContent("T", ""), "T");
}

TEST(NotifyRules, PercentEncodeKeepsOnlyUnreserved) {
    EXPECT_EQ(PercentEncode("aZ09-_.~"), "aZ09-_.~");
    EXPECT_EQ(PercentEncode("a+b/c=d"), "a%2Bb%2Fc%3Dd");
    EXPECT_EQ(PercentEncode(" \n"), "%20%0A");
}

// Expected values computed independently (Python: hmac.new(secret, f"{ts}\n{secret}", sha256), base64,
// urllib.parse.quote(safe="")), as DingTalk's documentation does it.
TEST(NotifyRules, DingTalkSignatureMatchesAHandComputedOne) {
    InitCrypto();
    constexpr int64_t kTimestamp = 1700000000000;
    const std::string secret = "SEC0123456789abcdef";
    EXPECT_EQ(Base64Encode(HmacSha256(secret, "1700000000000\nSEC0123456789abcdef")),
              "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
    EXPECT_EQ(DingTalkSign(kTimestamp, secret), "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
    EXPECT_EQ(DingTalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", kTimestamp, secret),
              "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000"
              "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
    EXPECT_EQ(DingTalkSignedUrl("http://127.0.0.1:9/robot", kTimestamp, secret),
              "http://127.0.0.1:9/robot?timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
}

OutboundMessage Message(Channel channel) {
    OutboundMessage m;
    m.id = "018f0000-0000-7000-8000-000000000001";
    m.channel = channel;
    m.to_mobile = "13800000001";
    m.title = "隐患升级";
    m.text = "YH-2026-000001 未按时接收";
    m.ref_id = "hazard-1";
    m.idempotency_key = "hazard:1:escalate:sms:u1";
    return m;
}

NotifySettings AllChannels() {
    NotifySettings s;
    s.sms = SmsSettings{"http://gw.example/sms"};
    s.wecom = WeComSettings{"https://qyapi.example/send?key=k"};
    s.dingtalk = DingTalkSettings{"https://oapi.example/robot/send?access_token=t", "SEC0123456789abcdef"};
    return s;
}

TEST(NotifyRules, BuildsTheSmsRequestWithIdempotencyKey) {
    auto built = BuildRequest(Message(Channel::kSms), AllChannels(), FromUnixMillis(0));
    ASSERT_TRUE(built.post) << built.error;
    EXPECT_EQ(built.post->url, "http://gw.example/sms");
    EXPECT_EQ(built.post->body, R"({"to":"13800000001","text":"YH-2026-000001 未按时接收","ref":"hazard-1"})");
    ASSERT_EQ(built.post->headers.size(), 1u);
    EXPECT_EQ(built.post->headers[0].first, "Idempotency-Key");
    EXPECT_EQ(built.post->headers[0].second, "hazard:1:escalate:sms:u1");
}

TEST(NotifyRules, BuildsTheSignedDingTalkRequestAtTheGivenTime) {
    auto built = BuildRequest(Message(Channel::kDingTalk), AllChannels(), FromUnixMillis(1700000000000));
    ASSERT_TRUE(built.post) << built.error;
    EXPECT_EQ(built.post->url,
              "https://oapi.example/robot/send?access_token=t&timestamp=1700000000000"
              "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
    EXPECT_EQ(built.post->body,
              R"({"msgtype":"text","text":{"content":"隐患升级\nYH-2026-000001 未按时接收 @13800000001"},)"
              R"("at":{"atMobiles":["13800000001"]}})");
    // Without a secret the webhook is used as is.
    auto unsigned_settings = AllChannels();
    unsigned_settings.dingtalk->secret.clear();
    auto plain = BuildRequest(Message(Channel::kDingTalk), unsigned_settings, FromUnixMillis(1700000000000));
    ASSERT_TRUE(plain.post);
    EXPECT_EQ(plain.post->url, "https://oapi.example/robot/send?access_token=t");
}

TEST(NotifyRules, BuildsTheWeComRequest) {
    auto built = BuildRequest(Message(Channel::kWeCom), AllChannels(), FromUnixMillis(0));
    ASSERT_TRUE(built.post);
    EXPECT_EQ(built.post->url, "https://qyapi.example/send?key=k");
    EXPECT_EQ(built.post->body, R"({"msgtype":"text","text":{"content":"隐患升级\nYH-2026-000001 未按时接收",)"
                                R"("mentioned_mobile_list":["13800000001"]}})");
}

TEST(NotifyRules, UnconfiguredRobotsArePermanentButSmsWaits) {
    NotifySettings none;
    auto sms = BuildRequest(Message(Channel::kSms), none, FromUnixMillis(0));
    EXPECT_FALSE(sms.post);
    EXPECT_FALSE(sms.permanent);
    EXPECT_NE(sms.error.find("SMS"), std::string::npos);
    for (Channel c : {Channel::kWeCom, Channel::kDingTalk, Channel::kApp}) {
        auto built = BuildRequest(Message(c), none, FromUnixMillis(0));
        EXPECT_FALSE(built.post);
        EXPECT_TRUE(built.permanent) << ChannelName(c);
    }
    auto no_mobile = Message(Channel::kSms);
    no_mobile.to_mobile.clear();
    auto built = BuildRequest(no_mobile, AllChannels(), FromUnixMillis(0));
    EXPECT_FALSE(built.post);
    EXPECT_TRUE(built.permanent);
}

TEST(NotifyRules, IdempotencyHeaderFallsBackToTheIdForUnprintableKeys) {
    EXPECT_EQ(IdempotencyHeader("hazard:1:x", "id"), "hazard:1:x");
    EXPECT_EQ(IdempotencyHeader("bad\r\nInjected: 1", "id"), "id");
    EXPECT_EQ(IdempotencyHeader("有中文", "id"), "id");
    EXPECT_EQ(IdempotencyHeader("", "id"), "id");
}

TEST(NotifyRules, JudgesAnswersPerChannel) {
    EXPECT_TRUE(Judge(Channel::kSms, {200, "", ""}).accepted);
    EXPECT_TRUE(Judge(Channel::kSms, {204, "", ""}).accepted);
    EXPECT_FALSE(Judge(Channel::kSms, {500, "", ""}).accepted);
    EXPECT_EQ(Judge(Channel::kSms, {503, "", ""}).error, "HTTP 503");
    EXPECT_FALSE(Judge(Channel::kSms, {302, "", ""}).accepted);
    auto timeout = Judge(Channel::kSms, {0, "", "Timeout was reached"});
    EXPECT_FALSE(timeout.accepted);
    EXPECT_EQ(timeout.error, "Timeout was reached");

    EXPECT_TRUE(Judge(Channel::kWeCom, {200, R"({"errcode":0,"errmsg":"ok"})", ""}).accepted);
    auto refused = Judge(Channel::kDingTalk, {200, R"({"errcode":310000,"errmsg":"sign not match"})", ""});
    EXPECT_FALSE(refused.accepted);
    EXPECT_EQ(refused.error, "errcode 310000: sign not match");
    EXPECT_FALSE(Judge(Channel::kWeCom, {200, "OK", ""}).accepted);
    EXPECT_FALSE(Judge(Channel::kDingTalk, {200, R"({"errmsg":"ok"})", ""}).accepted);
}

TEST(NotifyRules, SettingsRoundTripAndMaskTheSecret) {
    auto settings = AllChannels();
    auto stored = SettingsToStored(settings);
    auto back = SettingsFromStored(boost::json::parse(boost::json::serialize(stored)));
    ASSERT_TRUE(back.sms && back.wecom && back.dingtalk);
    EXPECT_EQ(back.sms->url, "http://gw.example/sms");
    EXPECT_EQ(back.dingtalk->secret, "SEC0123456789abcdef");

    auto shown = SettingsToPublic(settings);
    EXPECT_EQ(shown.at("dingtalk").at("secret").as_string(), "SEC0****cdef");
    EXPECT_EQ(shown.at("dingtalk").at("signed").as_bool(), true);
    EXPECT_EQ(boost::json::serialize(shown).find("0123456789ab"), std::string::npos);
    EXPECT_TRUE(SettingsToPublic(NotifySettings{}).at("sms").is_null());

    EXPECT_EQ(MaskSecret(""), "");
    EXPECT_EQ(MaskSecret("short"), "****");
    // Garbage in storage is ignored rather than trusted.
    auto junk = SettingsFromStored(boost::json::parse(R"({"sms":{"url":"ftp://x"},"wecom":7})"));
    EXPECT_FALSE(junk.sms);
    EXPECT_FALSE(junk.wecom);
}

TEST(NotifyRules, LogExcerptKeepsValidUtf8WithinTheLimit) {
    EXPECT_EQ(LogExcerpt("ok", 10), "ok");
    EXPECT_EQ(LogExcerpt("a\tb\nc\rd", 100), "a\tb\nc d");
    EXPECT_EQ(LogExcerpt(std::string("a\0b", 3), 100), "a b");
    EXPECT_EQ(LogExcerpt("\xff\xfeok", 100), "??ok");
    EXPECT_EQ(LogExcerpt("\xe4\xb8", 100), "??");  // a cut-off character
    // "短信" is 6 bytes: a limit of 4 keeps only the first character, never half of the second.
    EXPECT_EQ(LogExcerpt("短信", 4), "短");
    EXPECT_EQ(LogExcerpt(std::string(600, 'x'), kMaxLoggedResponseBytes).size(), kMaxLoggedResponseBytes);
}

TEST(NotifyRules, SseFrameFormat) {
    EXPECT_EQ(SseFrame("notification", R"({"id":"1"})"), "event: notification\ndata: {\"id\":\"1\"}\n\n");
}

TEST(NotifyRules, SeqTrackerDeliversLateCommitsOnceAndForgetsOldGaps) {
    using Steady = std::chrono::steady_clock;
    const Steady::time_point t0{};
    SeqTracker tracker;
    tracker.Start(10);
    EXPECT_EQ(tracker.QueryAfter(), 10);
    EXPECT_TRUE(tracker.Accept(11, t0));
    EXPECT_FALSE(tracker.Accept(11, t0));  // seen
    EXPECT_FALSE(tracker.Accept(9, t0));   // before the start
    // 14 commits before 12 and 13.
    EXPECT_TRUE(tracker.Accept(14, t0));
    EXPECT_EQ(tracker.gaps(), 2u);
    EXPECT_EQ(tracker.QueryAfter(), 11);  // keep looking from 12
    EXPECT_TRUE(tracker.Accept(13, t0 + seconds(1)));
    EXPECT_FALSE(tracker.Accept(13, t0 + seconds(1)));
    EXPECT_EQ(tracker.QueryAfter(), 11);
    // 12 never shows up (rolled back): forgotten after the wait.
    tracker.Expire(t0 + seconds(29));
    EXPECT_EQ(tracker.gaps(), 1u);
    tracker.Expire(t0 + SeqTracker::kGapWait);
    EXPECT_EQ(tracker.gaps(), 0u);
    EXPECT_EQ(tracker.QueryAfter(), 14);
    EXPECT_FALSE(tracker.Accept(12, t0 + minutes(1)));
}

TEST(NotifyRules, SeqTrackerBoundsItsGaps) {
    SeqTracker tracker;
    tracker.Start(0);
    EXPECT_TRUE(tracker.Accept(1'000'000, std::chrono::steady_clock::time_point{}));
    EXPECT_EQ(tracker.gaps(), SeqTracker::kMaxGaps);
    EXPECT_EQ(tracker.high(), 1'000'000);
}

}  // namespace
}  // namespace safeloop::notify
