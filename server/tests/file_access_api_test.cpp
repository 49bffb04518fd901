// Who may read a file (docs/architecture.md, "Files: who may read one"), on SQLite and PostgreSQL: a hazard's photo
// only for someone who may read the hazard; a file no record uses yet only for the person who stored it.

#include <boost/json.hpp>

#include "core/clock.hpp"
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

class FileAccessApi : public ApiTest {
protected:
    std::string Upload(const TestClient& who, const std::string& bytes) {
        auto r = who.Request("POST", "/api/v1/files", bytes, "image/jpeg");
        EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
        return std::string(r.Json().at("id").as_string());
    }
};

TEST_P(FileAccessApi, AHazardsPhotoIsReadableOnlyByThoseWhoMayReadTheHazard) {
    auto welder = As("welder1");
    auto leader = As("leader1");      // welder1's team leader: the report is assigned to him
    auto outsider = As("director2");  // heads another workshop: does not see welding shop 1's hazards
    const std::string photo = Upload(welder, MakeJpeg(240, 180, 31));
    const std::string path = "/api/v1/files/" + photo;

    // Nothing uses it yet: only the one who stored it reads it.
    EXPECT_EQ(welder.Get(path).status, 200);
    EXPECT_EQ(welder.Get(path + "/thumbnail").status, 200);
    for (const auto* who : {&leader, &outsider}) {
        for (const char* suffix : {"", "/thumbnail", "/meta"}) {
            auto r = who->Get(path + suffix);
            EXPECT_EQ(r.status, 404) << suffix << " " << r.body;
            EXPECT_EQ(r.ErrorCode(), "not_found") << suffix;
        }
    }
    // The phone still learns that the server has the bytes (it skips the upload).
    EXPECT_EQ(leader.Request("HEAD", path).status, 200);

    const std::string hazard = NewId();
    auto reported = welder.Post("/api/v1/hazards", json::value{{"id", hazard},
                                                               {"title", "焊机接地线破损"},
                                                               {"category", "电气"},
                                                               {"grade", "blue"},
                                                               {"photos", json::array{photo}}});
    ASSERT_EQ(reported.status, 201) << reported.body;

    // Who may read the hazard may read its photo; who may not gets 404, as for a file the tenant lacks.
    ASSERT_EQ(leader.Get("/api/v1/hazards/" + hazard).status, 200);
    ASSERT_EQ(outsider.Get("/api/v1/hazards/" + hazard).status, 404);
    for (const char* suffix : {"", "/thumbnail", "/meta"}) {
        EXPECT_EQ(leader.Get(path + suffix).status, 200) << suffix;
        EXPECT_EQ(welder.Get(path + suffix).status, 200) << suffix;
        auto refused = outsider.Get(path + suffix);
        EXPECT_EQ(refused.status, 404) << suffix << " " << refused.body;
        EXPECT_EQ(refused.ErrorCode(), "not_found") << suffix;
    }
    // A tenant-wide reader (the safety officer) sees it too.
    EXPECT_EQ(As("safety").Get(path).status, 200);
}

TEST_P(FileAccessApi, EvidenceIsReadableByTheVerifierNotByOthers) {
    auto welder = As("welder1");
    auto leader = As("leader1");
    const std::string hazard = NewId();
    ASSERT_EQ(
        welder.Post("/api/v1/hazards", json::value{{"id", hazard}, {"title", "护栏松动"}, {"grade", "blue"}}).status,
        201);
    ASSERT_EQ(leader.Post("/api/v1/hazards/" + hazard + "/accept", std::string()).status, 200);
    const std::string after = Upload(leader, MakeJpeg(200, 150, 32));
    auto rectified =
        leader.Post("/api/v1/hazards/" + hazard + "/rectify",
                    json::value{{"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", after}}}}});
    ASSERT_EQ(rectified.status, 200) << rectified.body;
    EXPECT_EQ(As("safety").Get("/api/v1/files/" + after).status, 200);  // verifies it
    EXPECT_EQ(welder.Get("/api/v1/files/" + after).status, 200);        // reported it
    EXPECT_EQ(As("director2").Get("/api/v1/files/" + after).status, 404);
}

// The read rule finds the hazards using a file in hazard_file_uses (V018), written with the rectification: a file
// named only by a round's evidence is readable by the verifier at once, and without its row nobody but whoever
// stored it reads it (no scan of the rectifications stands behind the index).
TEST_P(FileAccessApi, EvidenceIsFoundThroughTheFileUsesIndex) {
    auto welder = As("welder1");
    auto leader = As("leader1");
    auto safety = As("safety");
    const std::string hazard = NewId();
    ASSERT_EQ(welder.Post("/api/v1/hazards", json::value{{"id", hazard}, {"title", "配电箱门未关"}, {"grade", "blue"}})
                  .status,
              201);
    ASSERT_EQ(leader.Post("/api/v1/hazards/" + hazard + "/accept", std::string()).status, 200);
    const std::string after = Upload(leader, MakeJpeg(220, 160, 33));
    const std::string path = "/api/v1/files/" + after;
    EXPECT_EQ(safety.Get(path).status, 404);  // not used yet: only the leader, who stored it
    auto rectified =
        leader.Post("/api/v1/hazards/" + hazard + "/rectify",
                    json::value{{"evidence", json::array{json::object{{"kind", "after_photo"}, {"file_id", after}}}}});
    ASSERT_EQ(rectified.status, 200) << rectified.body;
    EXPECT_EQ(safety.Get(path).status, 200);
    EXPECT_EQ(safety.Get(path + "/meta").status, 200);

    auto conn = db::Connect(server().config().DatabaseUrl());
    const auto rows = conn->Query("SELECT hazard_id FROM hazard_file_uses WHERE file_id = $1", {after});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Text(0), hazard);

    conn->Exec("DELETE FROM hazard_file_uses WHERE file_id = $1", {after});
    EXPECT_EQ(safety.Get(path).status, 404);
    EXPECT_EQ(leader.Get(path).status, 200);  // no record uses it as far as the index knows: its uploader's again
}

SAFELOOP_BOTH_BACKENDS(FileAccessApi);

}  // namespace
}  // namespace safeloop::testing
