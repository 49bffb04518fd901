#pragma once

// Pure rules of outbound messaging: the retry schedule, the tenant's channel settings, the request each
// channel's gateway expects (SMS gateway JSON, WeCom and DingTalk group robots, DingTalk's signature),
// how an answer is judged, and the bookkeeping of the live poller. No I/O, no clock reads.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "modules/notify/notify.hpp"

namespace safeloop::notify {

// ---- retries ----

// A message that failed this many times is dead (kept, visible in the log, retried only by hand).
inline constexpr int kMaxAttempts = 15;
// How long a claimed message stays reserved for the sender that claimed it (injected clock). Longer
// than the HTTP timeout by far, so a live sender never loses its lease mid-call.
inline constexpr Millis kSendLease = std::chrono::minutes(1);

// The wait after `failures` failed attempts (1-based): 10 s, 20 s, 40 s, ... capped at 1 h.
Millis RetryDelay(int failures);

enum class Verdict { kSent, kRetry, kDead };
// What happens after a failed attempt number `failures` (1-based): retry, or dead when the failure is
// permanent or the attempts are used up.
Verdict AfterFailure(int failures, bool permanent);

// ---- names ----

std::optional<Channel> ParseChannel(std::string_view name);

// ---- settings (tenant_settings key "notify") ----

struct SmsSettings {
    std::string url;
};
struct WeComSettings {
    std::string webhook;
};
struct DingTalkSettings {
    std::string webhook;
    std::string secret;  // empty: the robot does not sign (keyword or IP allow-list security)
};
struct NotifySettings {
    std::optional<SmsSettings> sms;
    std::optional<WeComSettings> wecom;
    std::optional<DingTalkSettings> dingtalk;
};

inline constexpr size_t kMaxUrlChars = 2000;
inline constexpr size_t kMaxSecretChars = 200;

// A phone number as people type it: 3 to 20 of digits, '+', '-' and spaces, with at least 3 digits.
bool IsPlausibleMobile(std::string_view text);

// True for an absolute http:// or https:// URL with a host and no fragment or whitespace.
bool IsHttpUrl(std::string_view text);

// Stored form (complete, secret included) and back; unknown or malformed members are ignored.
boost::json::object SettingsToStored(const NotifySettings& settings);
NotifySettings SettingsFromStored(const boost::json::value& stored);
// What GET /settings/notify shows: the secret masked.
boost::json::object SettingsToPublic(const NotifySettings& settings);
// "SEC1a…(12)…9f3c"-style mask: the first 4 and last 4 characters of a long secret, "****" otherwise.
std::string MaskSecret(std::string_view secret);

// ---- outbound requests ----

// What the sender needs from a claimed outbox row.
struct OutboundMessage {
    std::string id;
    Channel channel = Channel::kSms;
    std::string to_mobile;
    std::string title;
    std::string text;
    std::string ref_id;
    std::string idempotency_key;
};

struct HttpPost {
    std::string url;
    std::string body;                                          // JSON
    std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

// The request for a message, or why there is none. `permanent` failures (a group robot that is not
// configured) make the message dead at once; SMS without a gateway stays retryable: it is the channel
// escalations depend on, so messages wait (with backoff) for an administrator to configure it.
struct BuiltRequest {
    std::optional<HttpPost> post;
    std::string error;
    bool permanent = false;
};
BuiltRequest BuildRequest(const OutboundMessage& message, const NotifySettings& settings, TimePoint now);

// The SMS gateway body of CONTRACT.md: {"to","text","ref"} in that order.
std::string SmsBody(std::string_view to, std::string_view text, std::string_view ref);
// WeCom group robot: {"msgtype":"text","text":{"content","mentioned_mobile_list":[...]}}.
std::string WeComBody(std::string_view content, const std::vector<std::string>& mobiles);
// DingTalk group robot: {"msgtype":"text","text":{"content"},"at":{"atMobiles":[...]}}.
std::string DingTalkBody(std::string_view content, const std::vector<std::string>& mobiles);
// The text a group robot posts: "title\ntext" (or just text).
std::string RobotContent(std::string_view title, std::string_view text);

// DingTalk's signature: base64(HMAC-SHA256(key = secret, data = timestamp + "\n" + secret)), then
// percent-encoded for the query string.
std::string DingTalkSign(int64_t timestamp_ms, std::string_view secret);
// The webhook with "&timestamp=<ms>&sign=<sign>" appended ("?" when it has no query yet).
std::string DingTalkSignedUrl(std::string_view webhook, int64_t timestamp_ms, std::string_view secret);

// RFC 3986 percent-encoding: everything but unreserved characters.
std::string PercentEncode(std::string_view text);

// The value sent as the Idempotency-Key header: the key when it is printable ASCII, else the message id.
std::string IdempotencyHeader(std::string_view key, std::string_view message_id);

// ---- judging an answer ----

struct Answer {
    long http_status = 0;         // 0 when there was no HTTP answer
    std::string body;             // the first bytes of the answer
    std::string transport_error;  // connect failure, timeout, ... (empty when an answer came)
};
struct Judgement {
    bool accepted = false;
    std::string error;  // why not, for the delivery log
};
// SMS: any 2xx. WeCom and DingTalk answer 200 also for refusals: they need 2xx and a JSON body whose
// "errcode" is 0.
Judgement Judge(Channel channel, const Answer& answer);

// Text safe to keep in the delivery log: valid UTF-8 (invalid bytes become '?'), no control characters
// but tab and newline, at most max_bytes (cut at a character boundary).
std::string LogExcerpt(std::string_view text, size_t max_bytes);
inline constexpr size_t kMaxLoggedResponseBytes = 500;
inline constexpr size_t kMaxLoggedErrorBytes = 1000;

// ---- in-app live push ----

// One Server-Sent Events frame: "event: <event>\ndata: <data>\n\n" (data must be one line, as JSON is).
std::string SseFrame(std::string_view event, std::string_view data);

// Follows notifications.seq for the live poller. Sequence values can become visible out of order (a
// PostgreSQL transaction that took seq 7 may commit after the one that took 8), so values skipped below
// the highest one seen are remembered for a while as gaps and still delivered, once, if they show up.
// Times here are real (steady) time, not the injected clock: they measure commit latency.
class SeqTracker {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;
    static constexpr std::chrono::seconds kGapWait{30};
    static constexpr size_t kMaxGaps = 10000;

    // Starts after `high` (values up to it count as seen).
    void Start(int64_t high);
    bool started() const { return started_; }
    // Rows with seq greater than this may still be new.
    int64_t QueryAfter() const;
    // True when `seq` has not been delivered yet (and records it as delivered).
    bool Accept(int64_t seq, SteadyTime now);
    // Forgets gaps older than kGapWait.
    void Expire(SteadyTime now);
    int64_t high() const { return high_; }
    size_t gaps() const { return gaps_.size(); }

private:
    bool started_ = false;
    int64_t high_ = 0;
    std::map<int64_t, SteadyTime> gaps_;  // seq -> when it was first found missing
};

}  // namespace safeloop::notify
