// Bilingual messages over HTTP (issue 13), on SQLite and PostgreSQL: every "not found" answer, in every module,
// is the Chinese sentence and the English sentence each whole, joined by " / " once, so a client can split it
// and show one language ("隐患不存在 / Hazard not found", never "隐患 / Hazard 不存在 / not found").

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

bool HasChinese(const std::string& s) {
    // Every CJK ideograph in UTF-8 starts with a byte 0xE4–0xE9.
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto b = static_cast<unsigned char>(c);
        return b >= 0xE4 && b <= 0xE9;
    });
}

class MessagesApi : public ApiTest {};

TEST_P(MessagesApi, NotFoundAnswersAreWholeInEachLanguage) {
    auto admin = Client().As("admin");
    const std::string nobody = "0190a000-0000-7000-8000-0000000000aa";
    const std::string no_file = std::string(64, 'a');
    const std::map<std::string, std::string> expected = {
        {"/api/v1/hazards/" + nobody, "隐患不存在 / Hazard not found"},
        {"/api/v1/hazards/not-a-uuid", "隐患不存在 / Hazard not found"},
        {"/api/v1/work-orders/" + nobody, "协同工单不存在 / Work order not found"},
        {"/api/v1/files/" + no_file, "文件不存在 / File not found"},
        {"/api/v1/files/uploads/" + nobody, "上传会话不存在 / Upload session not found"},
        {"/api/v1/users/" + nobody, "用户不存在 / User not found"},
    };
    for (const auto& [path, message] : expected) {
        auto r = admin.Get(path);
        ASSERT_EQ(r.status, 404) << path << ": " << r.body;
        EXPECT_EQ(r.ErrorCode(), "not_found") << path;
        EXPECT_EQ(std::string(r.Json().at("error").at("message").as_string()), message) << path;
    }
    // A decision on a request of a hazard that is not there names the hazard; of a hazard that is, the request.
    auto created = Client().As("welder1").Post(
        "/api/v1/hazards", json::value{{"title", "消息测试"}, {"category", "电气"}, {"grade", "blue"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(created.Json().at("id").as_string());
    auto on_none = admin.Post("/api/v1/hazards/" + nobody + "/extensions/" + nobody + "/decide",
                              json::value{{"decision", "approve"}});
    EXPECT_EQ(std::string(on_none.Json().at("error").at("message").as_string()), "隐患不存在 / Hazard not found");
    auto no_request =
        admin.Post("/api/v1/hazards/" + id + "/extensions/" + nobody + "/decide", json::value{{"decision", "approve"}});
    EXPECT_EQ(no_request.status, 404) << no_request.body;
    EXPECT_EQ(std::string(no_request.Json().at("error").at("message").as_string()),
              "延期申请不存在 / Extension request not found");
    // And every one of them splits in two: Chinese first, English second.
    for (const auto& path : {"/api/v1/hazards/" + nobody, "/api/v1/files/" + no_file, "/api/v1/users/" + nobody}) {
        const std::string m(admin.Get(path).Json().at("error").at("message").as_string());
        const size_t at = m.find(" / ");
        ASSERT_NE(at, std::string::npos) << m;
        EXPECT_EQ(m.find(" / ", at + 1), std::string::npos) << m;
        EXPECT_TRUE(HasChinese(m.substr(0, at))) << m;
        EXPECT_FALSE(HasChinese(m.substr(at + 3))) << m;
    }
}

SAFELOOP_BOTH_BACKENDS(MessagesApi);

}  // namespace
}  // namespace safeloop::testing
