// The file service against real databases: SQLite with blobs on disk, SQLite with blobs inline, and PostgreSQL
// (SAFELOOP_TEST_PG_URL, a schema of its own) with blobs inline as in a multi-node deployment.

#include "modules/files/file_service.hpp"

#include "core/crypto.hpp"
#include "db/migrate.hpp"
#include "modules/audit/audit.hpp"
#include "modules/files/file_media.hpp"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace safeloop::files {
namespace {

using namespace std::string_literals;  // NOLINT(google-build-using-namespace): byte literals with NULs

constexpr const char* kPgUrlVariable = "SAFELOOP_TEST_PG_URL";

struct Setup {
    db::Dialect dialect;
    bool on_disk;
};

std::string MakeJpeg(int width, int height) {
    VipsImage* image = nullptr;
    EXPECT_EQ(vips_black(&image, width, height, "bands", 3, nullptr), 0);
    void* buffer = nullptr;
    size_t length = 0;
    EXPECT_EQ(vips_jpegsave_buffer(image, &buffer, &length, nullptr), 0);
    g_object_unref(image);
    std::string out(static_cast<const char*>(buffer), length);
    g_free(buffer);
    return out;
}

std::string Le16(uint16_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) {
    return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
}

std::string MakeWav(uint32_t seconds) {
    const uint32_t rate = 8000;
    const std::string pcm(static_cast<size_t>(rate) * 2 * seconds, '\0');
    return "RIFF" + Le32(36 + static_cast<uint32_t>(pcm.size())) + "WAVEfmt " + Le32(16) + Le16(1) + Le16(1) +
           Le32(rate) + Le32(rate * 2) + Le16(2) + Le16(16) + "data" + Le32(static_cast<uint32_t>(pcm.size())) + pcm;
}

class FileServiceTest : public ::testing::TestWithParam<Setup> {
protected:
    static void SetUpTestSuite() {
        InitCrypto();
        InitMedia("unit_tests");
    }

    void SetUp() override {
        const std::string suffix = HexEncode(RandomBytes(6));
        dir_ = std::filesystem::temp_directory_path() / ("safeloop-files-test-" + suffix);
        std::filesystem::create_directories(dir_);
        if (GetParam().dialect == db::Dialect::kSqlite) {
            url_ = "sqlite:" + (dir_ / "test.db").string();
        } else {
            const char* base = std::getenv(kPgUrlVariable);
            if (base == nullptr || *base == '\0') {
                FAIL() << kPgUrlVariable << " is not set: export " << kPgUrlVariable << "=$(scripts/pg-test.sh start)";
            }
            base_url_ = base;
            schema_ = "files_" + suffix;
            db::Connect(base_url_)->ExecScript("CREATE SCHEMA " + schema_);
            url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
                   schema_;
        }
        conn_ = db::Connect(url_);
        db::Migrate(*conn_, db::EmbeddedMigrations());
        for (const char* tenant : {"tenant-a", "tenant-b"}) {
            conn_->Exec("INSERT INTO tenants (id, name, code, created_at) VALUES ($1, $1, $1, 0)", {tenant});
        }
        pool_ = db::Pool::Open(url_, 2);
        FileOptions options;
        if (GetParam().on_disk) options.dir = dir_ / "files";
        options.max_upload_bytes = 1 << 20;
        service_ = std::make_unique<FileService>(*pool_, clock_, options);
    }

    void TearDown() override {
        service_.reset();
        pool_.reset();
        conn_.reset();
        if (!schema_.empty()) db::Connect(base_url_)->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
        std::filesystem::remove_all(dir_);
    }

    // One request by a user of the tenant.
    Result<UploadResult> Upload(const std::string& tenant, const std::string& claimed, const std::string& body) {
        http::Request request;
        request.request_id = "req-" + HexEncode(RandomBytes(4));
        api::RequestContext ctx(request, *pool_, clock_);
        api::Principal principal;
        principal.tenant_id = tenant;
        principal.user_id = "user-of-" + tenant;
        ctx.SetPrincipal(principal);
        auto result = service_->Upload(ctx, claimed, body);
        if (result.ok()) {
            EXPECT_TRUE(ctx.audited());
        }
        return result;
    }

    int64_t Count(const std::string& sql) { return conn_->QueryOne(sql)->Int(0); }

    std::filesystem::path dir_;
    std::string base_url_;
    std::string schema_;
    std::string url_;
    std::unique_ptr<db::Connection> conn_;
    std::unique_ptr<db::Pool> pool_;
    ManualClock clock_{FromUnixMillis(1'780'000'000'000)};
    std::unique_ptr<FileService> service_;
};

INSTANTIATE_TEST_SUITE_P(Stores, FileServiceTest,
                         ::testing::Values(Setup{db::Dialect::kSqlite, true}, Setup{db::Dialect::kSqlite, false},
                                           Setup{db::Dialect::kPostgres, false}),
                         [](const ::testing::TestParamInfo<Setup>& info) {
                             return std::string(info.param.dialect == db::Dialect::kSqlite ? "Sqlite" : "Postgres") +
                                    (info.param.on_disk ? "Disk" : "Inline");
                         });

TEST_P(FileServiceTest, UploadStoresOnceAndAudits) {
    const std::string jpeg = MakeJpeg(640, 480);
    auto first = Upload("tenant-a", "image/jpeg", jpeg);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(first->created);
    EXPECT_EQ(first->file.id, Sha256Hex(jpeg));
    EXPECT_EQ(first->file.size, static_cast<int64_t>(jpeg.size()));
    EXPECT_EQ(first->file.content_type, "image/jpeg");
    EXPECT_EQ(first->file.meta.at("width").as_int64(), 640);
    ASSERT_TRUE(first->file.thumbnail_id);
    EXPECT_EQ(first->file.created_at, clock_.Now());

    clock_.Advance(Millis(60'000));
    auto again = Upload("tenant-a", "image/jpeg", jpeg);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->created);
    EXPECT_EQ(again->file.id, first->file.id);
    EXPECT_EQ(again->file.created_at, first->file.created_at);

    EXPECT_EQ(Count("SELECT COUNT(*) FROM file_blobs"), 2);  // the file and its thumbnail
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tenant_files"), 1);
    auto audit = conn_->Query("SELECT action, entity_type, entity_id, actor_id FROM audit_log");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].Text(0), "file.upload");
    EXPECT_EQ(audit[0].Text(1), "file");
    EXPECT_EQ(audit[0].Text(2), first->file.id);
    EXPECT_EQ(audit[0].Text(3), "user-of-tenant-a");
    EXPECT_TRUE(audit::Verify(*conn_).ok);
}

TEST_P(FileServiceTest, BytesLiveOnDiskOrInline) {
    const std::string jpeg = MakeJpeg(64, 64);
    auto up = Upload("tenant-a", "", jpeg);
    ASSERT_TRUE(up.ok());
    const auto path = BlobPath(dir_ / "files", up->file.id);
    if (GetParam().on_disk) {
        EXPECT_TRUE(std::filesystem::exists(path));
        EXPECT_TRUE(std::filesystem::exists(BlobPath(dir_ / "files", *up->file.thumbnail_id)));
        EXPECT_EQ(Count("SELECT COUNT(*) FROM file_blobs WHERE data IS NOT NULL"), 0);
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_ / "files")) {
            EXPECT_NE(entry.path().filename().string().front(), '.') << "temporary file left: " << entry.path();
        }
    } else {
        EXPECT_FALSE(std::filesystem::exists(dir_ / "files"));
        EXPECT_EQ(Count("SELECT COUNT(*) FROM file_blobs WHERE data IS NOT NULL"), 2);
    }
    auto content = service_->Read(*conn_, "tenant-a", up->file.id);
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(content->bytes, jpeg);
    EXPECT_EQ(content->content_type, "image/jpeg");
}

TEST_P(FileServiceTest, TenantsOnlySeeTheirOwnFiles) {
    const std::string jpeg = MakeJpeg(32, 32);
    auto up = Upload("tenant-a", "image/jpeg", jpeg);
    ASSERT_TRUE(up.ok());
    const std::string& id = up->file.id;
    EXPECT_FALSE(service_->Find(*conn_, "tenant-b", id));
    EXPECT_FALSE(service_->Has(*conn_, "tenant-b", id));
    EXPECT_EQ(service_->Read(*conn_, "tenant-b", id).error().code, "not_found");
    EXPECT_EQ(service_->ReadThumbnail(*conn_, "tenant-b", id).error().code, "not_found");

    // The same bytes from tenant B: a reference of its own, no second blob.
    auto theirs = Upload("tenant-b", "image/jpeg", jpeg);
    ASSERT_TRUE(theirs.ok());
    EXPECT_TRUE(theirs->created);
    EXPECT_EQ(theirs->file.id, id);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM file_blobs"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tenant_files"), 2);
    EXPECT_TRUE(service_->Has(*conn_, "tenant-b", id));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id = 'tenant-b'"), 1);
}

TEST_P(FileServiceTest, ThumbnailAndLookups) {
    auto up = Upload("tenant-a", "image/jpeg", MakeJpeg(1000, 500));
    ASSERT_TRUE(up.ok());
    auto thumb = service_->ReadThumbnail(*conn_, "tenant-a", up->file.id);
    ASSERT_TRUE(thumb.ok());
    EXPECT_EQ(thumb->content_type, "image/jpeg");
    EXPECT_EQ(thumb->id, *up->file.thumbnail_id);
    EXPECT_EQ(Sniff(thumb->bytes), Kind::kJpeg);

    // Upper-case ids are the same file; malformed ids are simply absent.
    std::string upper = up->file.id;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(service_->Find(*conn_, "tenant-a", upper));
    EXPECT_FALSE(service_->Find(*conn_, "tenant-a", "../../etc/passwd"));
    EXPECT_TRUE(service_->Find("tenant-a", up->file.id));  // through the pool

    const std::string absent(64, '0');
    EXPECT_EQ(service_->Missing(*conn_, "tenant-a", {up->file.id, absent, "bad"}),
              (std::vector<std::string>{absent, "bad"}));
}

TEST_P(FileServiceTest, AudioGetsDurationAndNoThumbnail) {
    auto up = Upload("tenant-a", "audio/wav", MakeWav(3));
    ASSERT_TRUE(up.ok()) << up.error().message;
    EXPECT_EQ(up->file.content_type, "audio/wav");
    EXPECT_NEAR(up->file.meta.at("duration_s").as_double(), 3.0, 0.01);
    EXPECT_FALSE(up->file.thumbnail_id);
    EXPECT_EQ(service_->ReadThumbnail(*conn_, "tenant-a", up->file.id).error().code, "not_found");
}

TEST_P(FileServiceTest, TextAndPdfAreStoredAsIs) {
    auto csv = Upload("tenant-a", "text/csv", "工号,姓名\n1001,张三\n");
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(csv->file.content_type, "text/csv");
    EXPECT_TRUE(csv->file.meta.empty());
    auto pdf = Upload("tenant-a", "application/pdf", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
    ASSERT_TRUE(pdf.ok());
    EXPECT_EQ(pdf->file.content_type, "application/pdf");
}

TEST_P(FileServiceTest, RefusedUploadsStoreNothing) {
    auto expect = [&](const std::string& claimed, const std::string& body, const std::string& code) {
        auto r = Upload("tenant-a", claimed, body);
        ASSERT_FALSE(r.ok()) << claimed;
        EXPECT_EQ(r.error().code, code) << claimed;
    };
    const std::string jpeg = MakeJpeg(200, 200);
    expect("image/jpeg", "", "file_empty");
    expect("image/jpeg", "%PDF-1.4\n%%EOF\n", "file_type_mismatch");
    expect("image/jpeg", "just a text file renamed to photo.jpg\n", "file_type_mismatch");
    expect("image/jpeg", "<html><script>alert(1)</script></html>", "file_type_mismatch");
    expect("application/octet-stream",
           "\x7f"
           "ELF\x02\x01\x01"s,
           "file_type_not_allowed");
    expect("image/jpeg", jpeg.substr(0, jpeg.size() / 2), "file_corrupt");
    expect("image/jpeg", std::string(2 << 20, 'a'), "payload_too_large");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM file_blobs"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tenant_files"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 0);
    if (GetParam().on_disk) {
        EXPECT_FALSE(std::filesystem::exists(dir_ / "files"));
    }
}

TEST_P(FileServiceTest, KnownBytesWithADisguisedClaimAreStillRefused) {
    const std::string jpeg = MakeJpeg(16, 16);
    ASSERT_TRUE(Upload("tenant-a", "image/jpeg", jpeg).ok());
    auto r = Upload("tenant-a", "application/pdf", jpeg);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "file_type_mismatch");
}

}  // namespace
}  // namespace safeloop::files
