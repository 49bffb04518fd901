// Resumable chunked uploads (issue 5) on SQLite and PostgreSQL: a session per content hash, chunks in
// order with Content-Range, the resume point, the SHA-256 checked on completion and the file stored through
// the files service (probed like any upload), and partial data surviving the real server's SIGKILL (on SQLite in a
// part file beside the file store, on PostgreSQL as rows every node sees).

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "child_server.hpp"
#include "core/crypto.hpp"
#include "db/db.hpp"
#include "hazards_media.hpp"
#include "test_server.hpp"

namespace safeloop::testing {
namespace {

namespace json = boost::json;

constexpr size_t kChunk = 4096;  // the test videos are small (one JPEG frame a second)
constexpr std::string_view kVideoType = "video/x-matroska";

json::value Start(const std::string& sha, size_t size) {
    return json::object{{"sha256", sha}, {"size", size}, {"content_type", kVideoType}};
}

HttpResult PutChunk(const TestClient& who, const std::string& upload_id, const std::string& bytes, size_t first,
                    size_t length) {
    const std::string range = "Content-Range: bytes " + std::to_string(first) + "-" +
                              std::to_string(first + length - 1) + "/" + std::to_string(bytes.size());
    return who.Request("PUT", "/api/v1/files/uploads/" + upload_id, bytes.substr(first, length),
                       "application/octet-stream", {range});
}

// Sends `bytes` from `first` to the end in chunks, one after another; the answer to the last one.
HttpResult PutRest(const TestClient& who, const std::string& upload_id, const std::string& bytes, size_t first) {
    HttpResult last;
    for (size_t at = first; at < bytes.size(); at += kChunk) {
        last = PutChunk(who, upload_id, bytes, at, std::min(kChunk, bytes.size() - at));
    }
    return last;
}

// A whole upload: the session started, then every chunk; the last answer (or the refused start).
HttpResult UploadWhole(const TestClient& who, const std::string& bytes) {
    HttpResult started = who.Post("/api/v1/files/uploads", Start(Sha256Hex(bytes), bytes.size()));
    if (started.status != 201) return started;
    return PutRest(who, std::string(started.Json().at("upload_id").as_string()), bytes, 0);
}

class UploadsApi : public ApiTest {};

TEST_P(UploadsApi, AChunkedUploadResumesAndEndsAsAnOrdinaryFile) {
    auto leader = Client().As("leader1");
    const std::string video = MakeMjpegVideo(20, 5);
    ASSERT_GT(video.size(), 3 * kChunk) << "the test needs several chunks";
    const std::string sha = Sha256Hex(video);

    auto started = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const json::value session = started.Json();
    const std::string id(session.at("upload_id").as_string());
    EXPECT_EQ(session.at("received").as_int64(), 0);
    EXPECT_FALSE(session.at("complete").as_bool());
    EXPECT_GT(session.at("chunk_max").as_int64(), 0);
    // Asking again (the phone lost the answer) resumes the same session.
    auto again = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.Json().at("upload_id").as_string(), id);

    auto first = PutChunk(leader, id, video, 0, kChunk);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.Json().at("received").as_int64(), static_cast<int64_t>(kChunk));
    // The same chunk again (its answer was lost): refused with where the upload stands.
    auto repeated = PutChunk(leader, id, video, 0, kChunk);
    EXPECT_EQ(repeated.ErrorCode(), "offset_mismatch");
    EXPECT_EQ(repeated.Json().at("error").at("received").as_int64(), static_cast<int64_t>(kChunk));
    auto status = leader.Get("/api/v1/files/uploads/" + id);
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_EQ(status.Json().at("received").as_int64(), static_cast<int64_t>(kChunk));
    auto no_range = leader.Request("PUT", "/api/v1/files/uploads/" + id, "x", "application/octet-stream");
    EXPECT_EQ(no_range.ErrorCode(), "invalid_range");

    HttpResult last;
    for (size_t at = kChunk; at < video.size(); at += kChunk) {
        last = PutChunk(leader, id, video, at, std::min(kChunk, video.size() - at));
        ASSERT_TRUE(last.status == 200 || last.status == 201) << last.body;
    }
    ASSERT_EQ(last.status, 201) << last.body;
    const json::value done = last.Json();
    EXPECT_TRUE(done.at("complete").as_bool());
    EXPECT_EQ(done.at("file").at("id").as_string(), sha);
    EXPECT_EQ(done.at("file").at("content_type").as_string(), kVideoType);
    // Probed like any upload: the real duration of the video.
    EXPECT_NEAR(done.at("file").at("meta").at("duration_s").to_number<double>(), 20.0, 0.5);
    EXPECT_EQ(leader.Get("/api/v1/files/" + sha).body, video);
    EXPECT_EQ(leader.Get("/api/v1/files/uploads/" + id).status, 404);  // the session has served
    // The file exists now: nothing to upload.
    auto known = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    EXPECT_EQ(known.status, 200);
    EXPECT_TRUE(known.Json().at("complete").as_bool());
    EXPECT_TRUE(known.Json().at("upload_id").is_null());
}

TEST_P(UploadsApi, BytesThatDoNotMatchTheirHashStartOver) {
    auto welder = Client().As("welder1");
    const std::string video = MakeMjpegVideo(3, 6);
    const std::string wrong = Sha256Hex("something else");
    auto started = welder.Post("/api/v1/files/uploads", Start(wrong, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    const HttpResult last = PutRest(welder, id, video, 0);
    EXPECT_EQ(last.status, 422);
    EXPECT_EQ(last.ErrorCode(), "checksum_mismatch");
    EXPECT_EQ(welder.Get("/api/v1/files/uploads/" + id).Json().at("received").as_int64(), 0);
    EXPECT_EQ(welder.Get("/api/v1/files/" + wrong).status, 404);
}

// Two requests completing one session: the second finds the chunks gone (the first stored the file and, on
// PostgreSQL, took them over) and reads nothing that matches the hash. The tenant has the file by then, so the
// answer is the file rather than checksum_mismatch. Played here with a one-shot upload of the bytes arriving
// while the session's own chunks are wrong.
TEST_P(UploadsApi, ASessionWhoseFileArrivedMeanwhileEndsWithTheFile) {
    auto leader = Client().As("leader1");
    const std::string video = MakeMjpegVideo(3, 7);
    const std::string sha = Sha256Hex(video);
    auto started = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    ASSERT_EQ(leader.Request("POST", "/api/v1/files", video, std::string(kVideoType)).status, 201);

    const std::string other(video.size(), 'z');
    const HttpResult last = PutRest(leader, id, other, 0);
    ASSERT_EQ(last.status, 200) << last.body;
    EXPECT_TRUE(last.Json().at("complete").as_bool());
    EXPECT_EQ(last.Json().at("file").at("id").as_string(), sha);
    EXPECT_EQ(leader.Get("/api/v1/files/" + sha).body, video);
    EXPECT_EQ(leader.Get("/api/v1/files/uploads/" + id).status, 404);
}

TEST_P(UploadsApi, ChunksAndSessionsHaveLimits) {
    auto welder = Client().As("welder1");
    const std::string big(9U << 20U, 'x');
    auto started = welder.Post("/api/v1/files/uploads", Start(Sha256Hex(big), big.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    auto too_big = PutChunk(welder, id, big, 0, (8U << 20U) + 1);
    EXPECT_EQ(too_big.status, 413);
    EXPECT_EQ(too_big.ErrorCode(), "payload_too_large");
    auto bad = welder.Post("/api/v1/files/uploads", json::value{{"sha256", "ABC"}, {"size", 0}});
    EXPECT_EQ(bad.status, 422);
    const json::value bad_json = bad.Json();
    const auto& fields = bad_json.at("error").at("fields").as_object();
    EXPECT_TRUE(fields.contains("sha256"));
    EXPECT_TRUE(fields.contains("size"));
    EXPECT_TRUE(fields.contains("content_type"));
    EXPECT_EQ(welder.Get("/api/v1/files/uploads/01890000-0000-7000-8000-000000000000").status, 404);
    // Another tenant's user would not find it; within the tenant the session is shared by content.
    EXPECT_EQ(Client().As("leader1").Get("/api/v1/files/uploads/" + id).status, 200);
}

SAFELOOP_BOTH_BACKENDS(UploadsApi);

// On SQLite a session's bytes live in a part file beside the file store (DIR/files/uploads/<id>.part), flushed
// before each chunk is acknowledged. A crash after a chunk reached the file but before the session counted it
// leaves bytes past `received`; the phone sends that chunk again, it overwrites them, and the stored file is
// exactly the video. A chunk sent twice is refused the second time and leaves the file as it was.
TEST(UploadsPartFile, BytesPastTheResumePointAreOverwrittenAndRepeatsAreNotAppended) {
    TestServer server(Backend::kSqlite);
    auto leader = server.Client().As("leader1");
    const std::string video = MakeMjpegVideo(20, 7);
    ASSERT_GT(video.size(), 4 * kChunk) << "the test needs several chunks";
    const std::string sha = Sha256Hex(video);
    auto started = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    const auto part = server.config().data_dir / "files" / "uploads" / (id + ".part");

    ASSERT_EQ(PutChunk(leader, id, video, 0, kChunk).status, 200);
    ASSERT_TRUE(std::filesystem::exists(part));
    EXPECT_EQ(std::filesystem::file_size(part), kChunk);
    EXPECT_EQ(PutChunk(leader, id, video, 0, kChunk).ErrorCode(), "offset_mismatch");
    EXPECT_EQ(std::filesystem::file_size(part), kChunk);  // the repeat was not appended

    {  // what a crash between writing the next chunk and counting it leaves behind: other bytes past the resume point
        std::ofstream tail(part, std::ios::binary | std::ios::app);
        tail << std::string(kChunk + 100, 'Z');
    }
    auto status = leader.Get("/api/v1/files/uploads/" + id);
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_EQ(status.Json().at("received").as_int64(), static_cast<int64_t>(kChunk));
    auto resent = PutChunk(leader, id, video, kChunk, kChunk);
    ASSERT_EQ(resent.status, 200) << resent.body;
    EXPECT_EQ(resent.Json().at("received").as_int64(), static_cast<int64_t>(2 * kChunk));
    EXPECT_EQ(std::filesystem::file_size(part), 2 * kChunk);  // the stale tail is gone

    const HttpResult last = PutRest(leader, id, video, 2 * kChunk);
    ASSERT_EQ(last.status, 201) << last.body;
    EXPECT_EQ(last.Json().at("file").at("id").as_string(), sha);
    EXPECT_EQ(leader.Get("/api/v1/files/" + sha).body, video);
    EXPECT_FALSE(std::filesystem::exists(part));  // the session has served
}

class UploadsKill : public ::testing::TestWithParam<Backend> {};

TEST_P(UploadsKill, PartialDataSurvivesAKilledServer) {
    ChildServer server(GetParam());
    ASSERT_TRUE(server.Start()) << server.Log();
    auto leader = server.Client();
    leader.Login("leader1");
    const std::string video = MakeMjpegVideo(20, 9);
    const std::string sha = Sha256Hex(video);
    auto started = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    ASSERT_EQ(PutChunk(leader, id, video, 0, kChunk).status, 200);
    ASSERT_EQ(PutChunk(leader, id, video, kChunk, kChunk).status, 200);

    server.Kill();
    ASSERT_TRUE(server.Start()) << server.Log();
    leader = server.Client();
    leader.Login("leader1");
    auto status = leader.Get("/api/v1/files/uploads/" + id);
    ASSERT_EQ(status.status, 200) << status.body;
    const auto resume = static_cast<size_t>(status.Json().at("received").as_int64());
    EXPECT_EQ(resume, 2 * kChunk);
    const HttpResult last = PutRest(leader, id, video, resume);
    ASSERT_EQ(last.status, 201) << last.body;
    EXPECT_EQ(leader.Get("/api/v1/files/" + sha).body, video);
}

SAFELOOP_BOTH_BACKENDS(UploadsKill);

// Each chunk advances the session's SHA-256 state (file_uploads.sha_state, V017), so completion checks the hash
// without reading the bytes back. A session begun before V017 has no state: its completion reads and hashes the
// bytes as before, and still refuses bytes that do not match.
class UploadsDigest : public ::testing::TestWithParam<Backend> {};

TEST_P(UploadsDigest, ASessionWithoutADigestStateIsHashedFromItsBytes) {
    ChildServer server(GetParam());
    ASSERT_TRUE(server.Start()) << server.Log();
    auto leader = server.Client();
    leader.Login("leader1");
    auto conn = db::Connect(server.database_url());
    const std::string video = MakeMjpegVideo(20, 31);
    const std::string sha = Sha256Hex(video);
    auto started = leader.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    ASSERT_EQ(PutChunk(leader, id, video, 0, kChunk).status, 200);
    const std::string kState = "SELECT sha_state FROM file_uploads WHERE id = $1";
    auto state = conn->QueryOne(kState, {id});
    ASSERT_TRUE(state && !state->IsNull(0));
    // Version byte, chaining words, bit length: 4096 bytes = 32768 bits, no tail.
    EXPECT_EQ(state->Blob(0).size(), 42U);
    EXPECT_EQ(HexEncode(state->Blob(0).substr(33, 8)), "0080000000000000");

    conn->Exec("UPDATE file_uploads SET sha_state = NULL WHERE id = $1", {id});
    ASSERT_EQ(PutChunk(leader, id, video, kChunk, kChunk).status, 200);
    EXPECT_TRUE(conn->QueryOne(kState, {id})->IsNull(0));  // no state to advance: it stays absent
    const HttpResult last = PutRest(leader, id, video, 2 * kChunk);
    ASSERT_EQ(last.status, 201) << last.body;
    EXPECT_EQ(last.Json().at("file").at("id").as_string(), sha);
    EXPECT_NEAR(last.Json().at("file").at("meta").at("duration_s").to_number<double>(), 20.0, 0.5);
    EXPECT_EQ(leader.Get("/api/v1/files/" + sha).body, video);

    // Without a state, wrong bytes are still found out (by hashing them).
    const std::string other = MakeMjpegVideo(20, 32);
    const std::string claimed = Sha256Hex(other + "x");
    auto wrong = leader.Post("/api/v1/files/uploads", Start(claimed, other.size()));
    ASSERT_EQ(wrong.status, 201) << wrong.body;
    const std::string wrong_id(wrong.Json().at("upload_id").as_string());
    conn->Exec("UPDATE file_uploads SET sha_state = NULL WHERE id = $1", {wrong_id});
    const HttpResult refused = PutRest(leader, wrong_id, other, 0);
    EXPECT_EQ(refused.ErrorCode(), "checksum_mismatch") << refused.body;
    // Starting over gives the session an empty digest again.
    auto reset = conn->QueryOne(kState, {wrong_id});
    ASSERT_TRUE(reset && !reset->IsNull(0));
    EXPECT_EQ(reset->Blob(0).size(), 42U);
    EXPECT_EQ(HexEncode(reset->Blob(0).substr(33, 8)), "0000000000000000");
}

SAFELOOP_BOTH_BACKENDS(UploadsDigest);

// Two nodes on one PostgreSQL database: an upload begun on one is resumed and completed on the other, both serve
// the file, and its bytes are the chunk rows they arrived in (adopted by the blob, not copied into
// file_blobs.data), with nothing left of the session.
TEST(UploadsTwoNodes, AnUploadBegunOnOneNodeIsCompletedOnAnotherAndStoredOnce) {
    ChildServer first(Backend::kPostgres);
    ASSERT_TRUE(first.Start()) << first.Log();
    ChildServer second(first, ChildServer::SameDatabase{});
    ASSERT_TRUE(second.Start()) << second.Log();
    auto on_first = first.Client();
    on_first.Login("leader1");
    auto on_second = second.Client();
    on_second.Login("leader1");
    const std::string video = MakeMjpegVideo(20, 11);
    const std::string sha = Sha256Hex(video);
    const size_t chunks = (video.size() + kChunk - 1) / kChunk;
    ASSERT_GE(chunks, 4u);

    auto started = on_first.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string id(started.Json().at("upload_id").as_string());
    ASSERT_EQ(PutChunk(on_first, id, video, 0, kChunk).status, 200);
    ASSERT_EQ(PutChunk(on_first, id, video, kChunk, kChunk).status, 200);

    // The phone's connection moved to the other node: the same session, where the first node left it.
    auto resumed = on_second.Post("/api/v1/files/uploads", Start(sha, video.size()));
    ASSERT_EQ(resumed.status, 200) << resumed.body;
    EXPECT_EQ(resumed.Json().at("upload_id").as_string(), id);
    EXPECT_EQ(resumed.Json().at("received").as_int64(), static_cast<int64_t>(2 * kChunk));
    // A chunk the first node already has is refused by the second as well.
    EXPECT_EQ(PutChunk(on_second, id, video, kChunk, kChunk).ErrorCode(), "offset_mismatch");
    const HttpResult last = PutRest(on_second, id, video, 2 * kChunk);
    ASSERT_EQ(last.status, 201) << last.body;
    EXPECT_EQ(last.Json().at("file").at("id").as_string(), sha);
    EXPECT_EQ(on_first.Get("/api/v1/files/" + sha).body, video);
    EXPECT_EQ(on_second.Get("/api/v1/files/" + sha).body, video);
    EXPECT_EQ(on_first.Get("/api/v1/files/uploads/" + id).status, 404);

    auto conn = db::Connect(first.database_url());
    EXPECT_TRUE(conn->QueryOne("SELECT data FROM file_blobs WHERE id = $1", {sha})->IsNull(0));
    auto stored = conn->QueryOne("SELECT COUNT(*), SUM(LENGTH(data)) FROM file_chunks WHERE blob_id = $1", {sha});
    EXPECT_EQ(stored->Int(0), static_cast<int64_t>(chunks));
    EXPECT_EQ(stored->Int(1), static_cast<int64_t>(video.size()));
    EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM file_chunks WHERE upload_id IS NOT NULL")->Int(0), 0);
    EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM file_uploads")->Int(0), 0);

    // The same bytes again from the other node: nothing to send, nothing stored twice.
    auto known = on_second.Post("/api/v1/files/uploads", Start(sha, video.size()));
    EXPECT_EQ(known.status, 200);
    EXPECT_TRUE(known.Json().at("complete").as_bool());
    EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM file_chunks")->Int(0), static_cast<int64_t>(chunks));
}

TEST(UploadsFilesFolder, WithAFolderNewFilesGoToDiskAndFilesKeptInTheDatabaseAreStillServed) {
    // Nodes on PostgreSQL keep file bytes in the database until the operator gives them a folder (--files): a
    // video stored before is still served from its chunk rows, and new files go to the folder only.
    ChildServer first(Backend::kPostgres);
    ASSERT_TRUE(first.Start()) << first.Log();
    auto before = first.Client();
    before.Login("leader1");
    const std::string old_video = MakeMjpegVideo(20, 21);
    const std::string old_sha = Sha256Hex(old_video);
    const HttpResult stored = UploadWhole(before, old_video);
    ASSERT_EQ(stored.status, 201) << stored.body;
    first.Kill();

    const std::filesystem::path folder = std::filesystem::path(first.dir()) / "shared-files";
    ChildServer node(first, ChildServer::SameDatabase{});
    node.UseFilesFolder(folder.string());
    ASSERT_TRUE(node.Start()) << node.Log();
    auto leader = node.Client();
    leader.Login("leader1");
    EXPECT_EQ(leader.Get("/api/v1/files/" + old_sha).body, old_video);

    const std::string video = MakeMjpegVideo(20, 22);
    const std::string video_sha = Sha256Hex(video);
    const HttpResult done = UploadWhole(leader, video);
    ASSERT_EQ(done.status, 201) << done.body;
    EXPECT_NEAR(done.Json().at("file").at("meta").at("duration_s").to_number<double>(), 20.0, 0.5);
    const std::string photo = MakeJpeg(800, 600, 23);
    const HttpResult posted = leader.Request("POST", "/api/v1/files", photo, "image/jpeg");
    ASSERT_EQ(posted.status, 201) << posted.body;
    const std::string photo_sha = Sha256Hex(photo);

    EXPECT_EQ(leader.Get("/api/v1/files/" + video_sha).body, video);
    EXPECT_EQ(leader.Get("/api/v1/files/" + photo_sha).body, photo);
    const HttpResult thumbnail = leader.Get("/api/v1/files/" + photo_sha + "/thumbnail");
    EXPECT_EQ(thumbnail.status, 200);
    EXPECT_EQ(thumbnail.body.substr(0, 2), "\xff\xd8");
    auto conn = db::Connect(first.database_url());
    for (const std::string& sha : {video_sha, photo_sha}) {
        EXPECT_EQ(std::filesystem::file_size(folder / sha.substr(0, 2) / sha.substr(2, 2) / sha),
                  (sha == video_sha ? video : photo).size());
        EXPECT_TRUE(conn->QueryOne("SELECT data FROM file_blobs WHERE id = $1", {sha})->IsNull(0));
        EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM file_chunks WHERE blob_id = $1", {sha})->Int(0), 0);
    }
    EXPECT_EQ(conn->QueryOne("SELECT COUNT(*) FROM file_chunks WHERE upload_id IS NOT NULL")->Int(0), 0);
    EXPECT_FALSE(std::filesystem::exists(folder / old_sha.substr(0, 2) / old_sha.substr(2, 2) / old_sha));
}

}  // namespace
}  // namespace safeloop::testing
