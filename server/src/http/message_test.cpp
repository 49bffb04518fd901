#include "http/message.hpp"

#include <gtest/gtest.h>

namespace safeloop::http {
namespace {

std::optional<Request> Parse(std::string target) {
    Request r;
    r.target = std::move(target);
    if (!ParseTarget(r)) return std::nullopt;
    return r;
}

using Segments = std::vector<std::string>;
using Query = std::vector<std::pair<std::string, std::string>>;

TEST(ParseTarget, SplitsThePathBeforeDecodingEachSegment) {
    auto r = Parse("/api/v1/hazards/abc%2Fassign");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->segments, (Segments{"api", "v1", "hazards", "abc/assign"}));
    EXPECT_EQ(r->path, "/api/v1/hazards/abc/assign");  // for logs only: the router reads the segments

    auto plain = Parse("/api/v1/hazards/abc/assign");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->segments, (Segments{"api", "v1", "hazards", "abc", "assign"}));
}

TEST(ParseTarget, DecodesPathEscapesButNotPlus) {
    auto r = Parse("/files/a%20b+c/%E4%B8%AD");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->segments, (Segments{"files", "a b+c", "中"}));
    auto trailing = Parse("/m/");
    ASSERT_TRUE(trailing);
    EXPECT_EQ(trailing->segments, (Segments{"m", ""}));
    EXPECT_EQ(trailing->path, "/m/");
    auto root = Parse("/");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->path, "/");
}

TEST(ParseTarget, DecodesQueryKeysAndValuesWithPlusAsSpace) {
    auto r = Parse("/api/v1/users?login=a%2Bb&q=fire+exit%20door&name=%E5%BC%A0%E4%B8%89&&flag&k=");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->query, (Query{{"login", "a+b"}, {"q", "fire exit door"}, {"name", "张三"}, {"flag", ""}, {"k", ""}}));
    EXPECT_EQ(r->Query("q"), "fire exit door");
    EXPECT_EQ(r->segments, (Segments{"api", "v1", "users"}));
}

TEST(ParseTarget, AcceptsWhatBrowsersSendUnescaped) {
    auto r = Parse("/api/v1/hazards?q=中|{x}^&sort=a[0]");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->query, (Query{{"q", "中|{x}^"}, {"sort", "a[0]"}}));
}

TEST(ParseTarget, RefusesMalformedEscapesInvalidUtf8AndNul) {
    EXPECT_FALSE(Parse("/api/v1/users?login=%zz"));
    EXPECT_FALSE(Parse("/api/v1/users?login=%4"));
    EXPECT_FALSE(Parse("/api/v1/us%zzers"));
    EXPECT_FALSE(Parse("/api/v1/users?login=%C3%28"));
    EXPECT_FALSE(Parse("/api/v1/%FF"));
    EXPECT_FALSE(Parse("/api/v1/a%00b"));
    EXPECT_FALSE(Parse("/api/v1/users?login=a%00"));
    EXPECT_FALSE(Parse("api/v1/users"));
    EXPECT_FALSE(Parse(""));
}

}  // namespace
}  // namespace safeloop::http

namespace safeloop::http {
namespace {

std::string HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return "";
}

TEST(ApplyDefaultHeaders, ApiJsonIsNotStoredNorFramedNorSniffed) {
    Response r = Response::Json(200, boost::json::object{{"login", "welder1"}});
    ApplyDefaultHeaders(r, "/api/v1/me");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
    EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(HeaderOf(r, "Retry-After"), "");
}

TEST(ApplyDefaultHeaders, KeepsWhatTheHandlerSetAndAddsNothingTwice) {
    Response r = Response::Bytes(200, "image/jpeg", "...");
    r.headers.emplace_back("cache-control", "private, max-age=31536000, immutable");
    ApplyDefaultHeaders(r, "/api/v1/files/ab");
    ApplyDefaultHeaders(r, "/api/v1/files/ab");
    EXPECT_EQ(r.headers.size(), 3u);  // its own Cache-Control, nosniff, Referrer-Policy
    EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"), "");
}

TEST(ApplyDefaultHeaders, PagesGetTheAppPolicyAndA503SaysWhenToRetry) {
    Response page = Response::Bytes(200, "text/html; charset=utf-8", "<p>");
    ApplyDefaultHeaders(page, "/ca");
    EXPECT_EQ(HeaderOf(page, "Content-Security-Policy"), kAppContentSecurityPolicy);
    EXPECT_NE(kAppContentSecurityPolicy.find("frame-ancestors 'none'"), std::string_view::npos);
    EXPECT_EQ(HeaderOf(page, "Cache-Control"), "");  // not under /api/
    Response busy = Response::Json(503, boost::json::object{});
    ApplyDefaultHeaders(busy, "/api/v1/hazards");
    EXPECT_EQ(HeaderOf(busy, "Retry-After"), "2");
}

}  // namespace
}  // namespace safeloop::http
