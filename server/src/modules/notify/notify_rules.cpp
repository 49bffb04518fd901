#include "modules/notify/notify_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/crypto.hpp"

namespace safeloop::notify {

namespace {

constexpr Millis kFirstRetry = std::chrono::seconds(10);
constexpr Millis kMaxRetry = std::chrono::hours(1);
constexpr int kMaxDoublings = 20;  // far past the cap; keeps the shift in range
constexpr size_t kMaskKeep = 4;
constexpr size_t kMaskMinChars = 12;  // shorter secrets are masked completely
constexpr size_t kMaxIdempotencyHeaderChars = 200;

std::string StringMember(const boost::json::object& object, std::string_view key) {
    auto* v = object.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const boost::json::object* ObjectMember(const boost::json::object& object, std::string_view key) {
    auto* v = object.if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}

boost::json::array StringArray(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return out;
}

std::vector<std::string> MobilesOf(const OutboundMessage& message) {
    if (message.to_mobile.empty()) return {};
    return {message.to_mobile};
}

}  // namespace

// ---- retries ----

Millis RetryDelay(int failures) {
    const int doublings = std::clamp(failures - 1, 0, kMaxDoublings);
    return std::min(kFirstRetry * (int64_t{1} << doublings), kMaxRetry);
}

Verdict AfterFailure(int failures, bool permanent) {
    if (permanent || failures >= kMaxAttempts) return Verdict::kDead;
    return Verdict::kRetry;
}

// ---- names ----

std::string_view ChannelName(Channel channel) {
    switch (channel) {
        case Channel::kSms: return "sms";
        case Channel::kWeCom: return "wecom";
        case Channel::kDingTalk: return "dingtalk";
        case Channel::kApp: return "app";
    }
    return "sms";
}

std::optional<Channel> ParseChannel(std::string_view name) {
    for (Channel c : {Channel::kSms, Channel::kWeCom, Channel::kDingTalk, Channel::kApp}) {
        if (ChannelName(c) == name) return c;
    }
    return std::nullopt;
}

// ---- settings ----

bool IsPlausibleMobile(std::string_view text) {
    constexpr size_t kMinChars = 3;
    constexpr size_t kMaxChars = 20;
    if (text.size() < kMinChars || text.size() > kMaxChars) return false;
    size_t digits = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c != '+' && c != '-' && c != ' ') {
            return false;
        }
    }
    return digits >= kMinChars;
}

bool IsHttpUrl(std::string_view text) {
    if (text.empty() || text.size() > kMaxUrlChars) return false;
    if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; })) {
        return false;
    }
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed) return false;
    std::string scheme(parsed->scheme());
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme != "http" && scheme != "https") return false;
    return parsed->has_authority() && !parsed->host().empty();
}

boost::json::object SettingsToStored(const NotifySettings& settings) {
    boost::json::object out;
    if (settings.sms) out["sms"] = boost::json::object{{"url", settings.sms->url}};
    if (settings.wecom) out["wecom"] = boost::json::object{{"webhook", settings.wecom->webhook}};
    if (settings.dingtalk) {
        out["dingtalk"] =
            boost::json::object{{"webhook", settings.dingtalk->webhook}, {"secret", settings.dingtalk->secret}};
    }
    return out;
}

NotifySettings SettingsFromStored(const boost::json::value& stored) {
    NotifySettings out;
    if (!stored.is_object()) return out;
    const auto& root = stored.as_object();
    if (auto* sms = ObjectMember(root, "sms"); sms && IsHttpUrl(StringMember(*sms, "url"))) {
        out.sms = SmsSettings{StringMember(*sms, "url")};
    }
    if (auto* wecom = ObjectMember(root, "wecom"); wecom && IsHttpUrl(StringMember(*wecom, "webhook"))) {
        out.wecom = WeComSettings{StringMember(*wecom, "webhook")};
    }
    if (auto* ding = ObjectMember(root, "dingtalk"); ding && IsHttpUrl(StringMember(*ding, "webhook"))) {
        out.dingtalk = DingTalkSettings{StringMember(*ding, "webhook"), StringMember(*ding, "secret")};
    }
    return out;
}

boost::json::object SettingsToPublic(const NotifySettings& settings) {
    boost::json::object out;
    out["sms"] = settings.sms ? boost::json::value(boost::json::object{{"url", settings.sms->url}}) : nullptr;
    out["wecom"] =
        settings.wecom ? boost::json::value(boost::json::object{{"webhook", settings.wecom->webhook}}) : nullptr;
    if (settings.dingtalk) {
        out["dingtalk"] = boost::json::object{{"webhook", settings.dingtalk->webhook},
                                              {"secret", MaskSecret(settings.dingtalk->secret)},
                                              {"signed", !settings.dingtalk->secret.empty()}};
    } else {
        out["dingtalk"] = nullptr;
    }
    return out;
}

std::string MaskSecret(std::string_view secret) {
    if (secret.empty()) return "";
    if (secret.size() < kMaskMinChars) return "****";
    return std::string(secret.substr(0, kMaskKeep)) + "****" + std::string(secret.substr(secret.size() - kMaskKeep));
}

// ---- outbound requests ----

std::string SmsBody(std::string_view to, std::string_view text, std::string_view ref) {
    boost::json::object body;
    body["to"] = to;
    body["text"] = text;
    body["ref"] = ref;
    return boost::json::serialize(body);
}

std::string WeComBody(std::string_view content, const std::vector<std::string>& mobiles) {
    boost::json::object text;
    text["content"] = content;
    text["mentioned_mobile_list"] = StringArray(mobiles);
    boost::json::object body;
    body["msgtype"] = "text";
    body["text"] = std::move(text);
    return boost::json::serialize(body);
}

std::string DingTalkBody(std::string_view content, const std::vector<std::string>& mobiles) {
    boost::json::object body;
    body["msgtype"] = "text";
    body["text"] = boost::json::object{{"content", content}};
    body["at"] = boost::json::object{{"atMobiles", StringArray(mobiles)}};
    return boost::json::serialize(body);
}

std::string RobotContent(std::string_view title, std::string_view text) {
    if (title.empty()) return std::string(text);
    if (text.empty()) return std::string(title);
    return std::string(title) + "\n" + std::string(text);
}

std::string PercentEncode(std::string_view text) {
    // Only RFC 3986's unreserved characters stay; '+', '/' and '=' of Base64 are escaped (upper-case hex).
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string DingTalkSign(int64_t timestamp_ms, std::string_view secret) {
    const std::string data = std::to_string(timestamp_ms) + "\n" + std::string(secret);
    return PercentEncode(Base64Encode(HmacSha256(secret, data)));
}

std::string DingTalkSignedUrl(std::string_view webhook, int64_t timestamp_ms, std::string_view secret) {
    const char separator = webhook.find('?') == std::string_view::npos ? '?' : '&';
    return fmt::format("{}{}timestamp={}&sign={}", webhook, separator, timestamp_ms,
                       DingTalkSign(timestamp_ms, secret));
}

std::string IdempotencyHeader(std::string_view key, std::string_view message_id) {
    bool printable = !key.empty() && key.size() <= kMaxIdempotencyHeaderChars &&
                     std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7F; });
    return std::string(printable ? key : message_id);
}

BuiltRequest BuildRequest(const OutboundMessage& message, const NotifySettings& settings, TimePoint now) {
    BuiltRequest out;
    HttpPost post;
    post.headers.emplace_back("Idempotency-Key", IdempotencyHeader(message.idempotency_key, message.id));
    switch (message.channel) {
        case Channel::kSms:
            if (message.to_mobile.empty()) {
                out.error = "收件人没有手机号 / The recipient has no mobile number";
                out.permanent = true;
                return out;
            }
            if (!settings.sms) {
                out.error = "短信网关未配置 / No SMS gateway is configured (PUT /api/v1/settings/notify)";
                return out;
            }
            post.url = settings.sms->url;
            post.body = SmsBody(message.to_mobile, message.text, message.ref_id);
            break;
        case Channel::kWeCom:
            if (!settings.wecom) {
                out.error = "企业微信机器人未配置 / No WeCom robot is configured (PUT /api/v1/settings/notify)";
                out.permanent = true;
                return out;
            }
            post.url = settings.wecom->webhook;
            post.body = WeComBody(RobotContent(message.title, message.text), MobilesOf(message));
            break;
        case Channel::kDingTalk: {
            if (!settings.dingtalk) {
                out.error = "钉钉机器人未配置 / No DingTalk robot is configured (PUT /api/v1/settings/notify)";
                out.permanent = true;
                return out;
            }
            // DingTalk shows an @mention only when the number also appears in the text.
            std::string content = RobotContent(message.title, message.text);
            if (!message.to_mobile.empty()) content += " @" + message.to_mobile;
            const auto& ding = *settings.dingtalk;
            post.url =
                ding.secret.empty() ? ding.webhook : DingTalkSignedUrl(ding.webhook, ToUnixMillis(now), ding.secret);
            post.body = DingTalkBody(content, MobilesOf(message));
            break;
        }
        case Channel::kApp:
            out.error = "站内消息在入队时送达 / In-app messages are delivered when enqueued";
            out.permanent = true;
            return out;
    }
    out.post = std::move(post);
    return out;
}

// ---- judging an answer ----

Judgement Judge(Channel channel, const Answer& answer) {
    if (!answer.transport_error.empty()) return {false, answer.transport_error};
    if (answer.http_status < 200 || answer.http_status > 299) {
        return {false, fmt::format("HTTP {}", answer.http_status)};
    }
    if (channel != Channel::kWeCom && channel != Channel::kDingTalk) return {true, ""};
    boost::system::error_code ec;
    auto body = boost::json::parse(answer.body, ec);
    if (ec || !body.is_object()) return {false, "应答不是 JSON / The robot's answer is not JSON"};
    auto* errcode = body.as_object().if_contains("errcode");
    if (errcode == nullptr || !errcode->is_int64()) return {false, "应答缺少 errcode / The answer has no errcode"};
    if (errcode->as_int64() != 0) {
        return {false, fmt::format("errcode {}: {}", errcode->as_int64(), StringMember(body.as_object(), "errmsg"))};
    }
    return {true, ""};
}

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not a valid one.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

std::string LogExcerpt(std::string_view text, size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    size_t i = 0;
    while (i < text.size()) {
        size_t n = Utf8SequenceLength(text, i);
        std::string_view piece = n == 0 ? std::string_view("?") : text.substr(i, n);
        if (n == 1) {
            auto c = static_cast<unsigned char>(text[i]);
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) piece = " ";
        }
        if (out.size() + piece.size() > max_bytes) break;
        out.append(piece);
        i += n == 0 ? 1 : n;
    }
    return out;
}

// ---- in-app live push ----

std::string SseFrame(std::string_view event, std::string_view data) {
    return fmt::format("event: {}\ndata: {}\n\n", event, data);
}

void SeqTracker::Start(int64_t high) {
    started_ = true;
    high_ = high;
    gaps_.clear();
}

int64_t SeqTracker::QueryAfter() const {
    if (gaps_.empty()) return high_;
    return std::min(high_, gaps_.begin()->first - 1);
}

bool SeqTracker::Accept(int64_t seq, SteadyTime now) {
    if (seq > high_) {
        const int64_t first_gap = std::max(high_ + 1, seq - static_cast<int64_t>(kMaxGaps));
        for (int64_t s = first_gap; s < seq && gaps_.size() < kMaxGaps; ++s) gaps_.emplace(s, now);
        high_ = seq;
        return true;
    }
    return gaps_.erase(seq) > 0;
}

void SeqTracker::Expire(SteadyTime now) {
    std::erase_if(gaps_, [now](const auto& gap) { return now - gap.second >= kGapWait; });
}

}  // namespace safeloop::notify
