// POST /api/v1/files and reading files back (CONTRACT.md), on SQLite (bytes on disk) and PostgreSQL (bytes in
// the database): content addressing, re-upload, disguised and corrupt uploads, tenant isolation, HEAD for the
// offline sync, caching headers, thumbnails, metadata and the audit entry.

#include "test_server.hpp"

#include "core/crypto.hpp"
#include "hazards_media.hpp"
#include "modules/auth/passwords.hpp"

#include <boost/json.hpp>

#include <string>

namespace safeloop::testing {
namespace {

namespace json = boost::json;
using namespace std::string_literals;  // NOLINT(google-build-using-namespace): byte literals with NULs

class FilesApi : public ApiTest {
protected:
    HttpResult Upload(const TestClient& client, const std::string& bytes, const std::string& content_type) {
        return client.Request("POST", "/api/v1/files", bytes, content_type);
    }

    // A second tenant with one worker, "other1" (password demo-2026), written straight into the database.
    TestClient OtherTenantWorker() {
        auto conn = server().app().pool().Acquire();
        conn->Exec("INSERT INTO tenants (id, name, code, created_at) VALUES ($1, $2, $3, 0)",
                   {"tenant-other", "另一家工厂", "other"});
        conn->Exec(
            "INSERT INTO users (id, tenant_id, login, name, mobile, password_hash, roles, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0)",
            {"user-other-1", "tenant-other", "other1", "外厂员工", "13900000001", auth::HashPassword("demo-2026"),
             "worker"});
        return Client().As("other1");
    }
};

TEST_P(FilesApi, UploadIsContentAddressedAndIdempotent) {
    auto welder = Client().As("welder1");
    const std::string jpeg = MakeJpeg(800, 600, 1);
    auto first = Upload(welder, jpeg, "image/jpeg");
    ASSERT_EQ(first.status, 201) << first.body;
    auto body = first.Json().as_object();
    const std::string id(body.at("id").as_string());
    EXPECT_EQ(id, Sha256Hex(jpeg));
    EXPECT_EQ(body.at("size").as_int64(), static_cast<int64_t>(jpeg.size()));
    EXPECT_EQ(body.at("content_type").as_string(), "image/jpeg");
    EXPECT_EQ(body.at("meta").at("width").as_int64(), 800);
    EXPECT_EQ(body.at("meta").at("height").as_int64(), 600);

    auto again = Upload(welder, jpeg, "image/jpeg");
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.Json(), first.Json());

    // Someone else in the same tenant has it too: still 200.
    auto leader = Client().As("leader1");
    EXPECT_EQ(Upload(leader, jpeg, "application/octet-stream").status, 200);
}

TEST_P(FilesApi, TheBytesComeBackWithCachingHeaders) {
    auto welder = Client().As("welder1");
    const std::string jpeg = MakeJpeg(320, 240, 2);
    const std::string id(Upload(welder, jpeg, "image/jpeg").Json().at("id").as_string());

    auto get = welder.Get("/api/v1/files/" + id);
    ASSERT_EQ(get.status, 200);
    EXPECT_EQ(get.body, jpeg);
    EXPECT_EQ(get.Header("content-type"), "image/jpeg");
    EXPECT_EQ(get.Header("cache-control"), "private, max-age=31536000, immutable");
    EXPECT_EQ(get.Header("etag"), "\"" + id + "\"");
    EXPECT_EQ(get.Header("x-content-type-options"), "nosniff");

    auto cached = welder.Request("GET", "/api/v1/files/" + id, "", "", {"If-None-Match: \"" + id + "\""});
    EXPECT_EQ(cached.status, 304);
    EXPECT_TRUE(cached.body.empty());

    auto part = welder.Request("GET", "/api/v1/files/" + id, "", "", {"Range: bytes=0-9"});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.body, jpeg.substr(0, 10));
    EXPECT_EQ(part.Header("content-range"), "bytes 0-9/" + std::to_string(jpeg.size()));

    auto thumb = welder.Get("/api/v1/files/" + id + "/thumbnail");
    ASSERT_EQ(thumb.status, 200);
    EXPECT_EQ(thumb.Header("content-type"), "image/jpeg");
    EXPECT_EQ(thumb.body.substr(0, 3), "\xff\xd8\xff");

    auto meta = welder.Get("/api/v1/files/" + id + "/meta");
    ASSERT_EQ(meta.status, 200) << meta.body;
    auto m = meta.Json().as_object();
    EXPECT_EQ(m.at("size").as_int64(), static_cast<int64_t>(jpeg.size()));
    EXPECT_EQ(m.at("content_type").as_string(), "image/jpeg");
    EXPECT_TRUE(ParseRfc3339(m.at("created_at").as_string()));
    EXPECT_EQ(m.at("meta").at("width").as_int64(), 320);
    EXPECT_TRUE(m.at("has_thumbnail").as_bool());
}

TEST_P(FilesApi, HeadTellsThePhoneWhatTheServerHas) {
    auto welder = Client().As("welder1");
    const std::string jpeg = MakeJpeg(64, 64, 3);
    const std::string id = Sha256Hex(jpeg);
    EXPECT_EQ(welder.Request("HEAD", "/api/v1/files/" + id).status, 404);
    ASSERT_EQ(Upload(welder, jpeg, "image/jpeg").status, 201);
    auto head = welder.Request("HEAD", "/api/v1/files/" + id);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.Header("etag"), "\"" + id + "\"");
    // The length a GET would send, though the bytes were not read.
    EXPECT_EQ(head.Header("content-length"), std::to_string(jpeg.size()));
    // Tenant-wide: a colleague's phone need not upload it again.
    EXPECT_EQ(Client().As("leader1").Request("HEAD", "/api/v1/files/" + id).status, 200);
    EXPECT_EQ(welder.Request("HEAD", "/api/v1/files/not-a-hash").status, 404);
}

TEST_P(FilesApi, DisguisedCorruptEmptyAndUnknownUploadsAreRefused) {
    auto welder = Client().As("welder1");
    struct Case {
        std::string label;
        std::string bytes;
        std::string content_type;
        std::string code;
    };
    const std::string jpeg = MakeJpeg(400, 300, 4);
    const std::vector<Case> cases = {
        {"pdf sent as jpeg", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "image/jpeg", "file_type_mismatch"},
        {"text renamed to .jpg", "this is not a photo\n", "image/jpeg", "file_type_mismatch"},
        {"html sent as jpeg", "<!DOCTYPE html><script>alert(1)</script>", "image/jpeg", "file_type_mismatch"},
        {"executable sent as png",
         "\x7f"
         "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"s,
         "image/png", "file_type_mismatch"},
        {"truncated jpeg", jpeg.substr(0, jpeg.size() / 2), "image/jpeg", "file_corrupt"},
        {"jpeg magic, garbage after", "\xff\xd8\xff\xe0" + std::string(2000, '\x17'), "image/jpeg", "file_corrupt"},
        {"empty body", "", "image/jpeg", "file_empty"},
        {"unknown bytes", "\x01\x02\x03\x04\x05\x06\x07\x08"s, "application/octet-stream", "file_type_not_allowed"},
        {"honest html", "<html><body>hi</body></html>", "text/html", "file_type_not_allowed"},
    };
    for (const auto& c : cases) {
        auto r = Upload(welder, c.bytes, c.content_type);
        EXPECT_EQ(r.status, 422) << c.label << ": " << r.body;
        EXPECT_EQ(r.ErrorCode(), c.code) << c.label;
        EXPECT_FALSE(r.Json().at("error").at("message").as_string().empty()) << c.label;
    }
    auto multipart = Upload(welder, "--x\r\nContent-Disposition: form-data\r\n\r\nhi\r\n--x--\r\n",
                            "multipart/form-data; boundary=x");
    EXPECT_EQ(multipart.status, 415);
    EXPECT_EQ(multipart.ErrorCode(), "unsupported_media_type");
}

TEST_P(FilesApi, AnotherTenantCannotSeeTheFile) {
    auto welder = Client().As("welder1");
    const std::string jpeg = MakeJpeg(128, 96, 5);
    const std::string id(Upload(welder, jpeg, "image/jpeg").Json().at("id").as_string());

    auto other = OtherTenantWorker();
    const std::string path = "/api/v1/files/" + id;
    for (const char* suffix : {"", "/thumbnail", "/meta"}) {
        auto r = other.Get(path + suffix);
        EXPECT_EQ(r.status, 404) << suffix;
        EXPECT_EQ(r.ErrorCode(), "not_found") << suffix;
    }
    EXPECT_EQ(other.Request("HEAD", "/api/v1/files/" + id).status, 404);

    // Uploading the same bytes gives the other tenant its own reference: new for them.
    auto theirs = Upload(other, jpeg, "image/jpeg");
    EXPECT_EQ(theirs.status, 201) << theirs.body;
    EXPECT_EQ(theirs.Json().at("id").as_string(), id);
    EXPECT_EQ(other.Get("/api/v1/files/" + id).body, jpeg);
}

TEST_P(FilesApi, VideoGetsItsDuration) {
    auto leader = Client().As("leader1");
    const std::string video = MakeMjpegVideo(16, 6);
    auto r = Upload(leader, video, "video/webm");
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = r.Json().as_object();
    EXPECT_EQ(body.at("content_type").as_string(), "video/x-matroska");
    EXPECT_NEAR(body.at("meta").at("duration_s").as_double(), 16.0, 0.5);
    EXPECT_TRUE(body.at("meta").at("has_video").as_bool());
    EXPECT_EQ(leader.Get("/api/v1/files/" + std::string(body.at("id").as_string()) + "/thumbnail").status, 404);
}

TEST_P(FilesApi, UploadsAreAuditedAndListed) {
    auto welder = Client().As("welder1");
    const std::string id(Upload(welder, MakeJpeg(50, 50, 7), "image/jpeg").Json().at("id").as_string());
    auto admin = Client().As("admin");
    auto list = admin.Get("/api/v1/audit?entity_type=file&entity_id=" + id);
    ASSERT_EQ(list.status, 200) << list.body;
    auto items = list.Json().at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("action").as_string(), "file.upload");
    EXPECT_EQ(items[0].at("actor_id").as_string(), server().UserId("welder1"));
    EXPECT_EQ(items[0].at("after").at("id").as_string(), id);
    EXPECT_TRUE(list.Json().at("next_cursor").is_null());

    // Newest first, paged with the cursor.
    auto page = admin.Get("/api/v1/audit?limit=1");
    ASSERT_EQ(page.status, 200);
    ASSERT_EQ(page.Json().at("items").as_array().size(), 1u);
    const std::string cursor(page.Json().at("next_cursor").as_string());
    auto next = admin.Get("/api/v1/audit?limit=1&cursor=" + cursor);
    ASSERT_EQ(next.status, 200);
    EXPECT_LT(next.Json().at("items").at(0).at("chain_index").as_int64(),
              page.Json().at("items").at(0).at("chain_index").as_int64());
    EXPECT_EQ(admin.Get("/api/v1/audit?limit=0").ErrorCode(), "invalid_query");
    EXPECT_EQ(admin.Get("/api/v1/audit?cursor=abc").ErrorCode(), "invalid_query");

    EXPECT_EQ(welder.Get("/api/v1/audit").status, 403);  // workers lack audit.read
}

SAFELOOP_BOTH_BACKENDS(FilesApi);

}  // namespace
}  // namespace safeloop::testing
