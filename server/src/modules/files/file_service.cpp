#include "modules/files/file_service.hpp"

#include "core/crypto.hpp"
#include "modules/audit/audit.hpp"
#include "modules/files/file_hash.hpp"
#include "modules/files/file_media.hpp"
#include "modules/files/file_store.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <system_error>
#include <utility>

namespace safeloop::files {

namespace {

constexpr size_t kTempSuffixBytes = 6;
// Enough of a file's start to tell every audio and video container (Sniff reads at most a few kilobytes of them).
constexpr size_t kSniffHeadBytes = size_t{64} * 1024;

[[noreturn]] void ThrowErrno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    // Closes now, reporting the error close() may carry (delayed write failures on some file systems).
    void Close(const std::string& what) {
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) ThrowErrno(what);
    }

private:
    int fd_;
};

void WriteAll(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ThrowErrno("write " + path);
        }
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

void SyncDirectory(const std::filesystem::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) ThrowErrno("open " + dir.string());
    if (::fsync(fd.get()) != 0) ThrowErrno("fsync " + dir.string());
}

boost::json::object ParseMeta(const std::string& text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

FileInfo InfoFromRow(BlobRow row) {
    return FileInfo{std::move(row.id),           row.size,      std::move(row.content_type), ParseMeta(row.meta_json),
                    std::move(row.thumbnail_id), row.created_at};
}

boost::json::object AuditAfter(const FileInfo& file) {
    boost::json::object after;
    after["id"] = file.id;
    after["size"] = file.size;
    after["content_type"] = file.content_type;
    return after;
}

}  // namespace

struct FileService::Prepared {
    TypeDecision type;
    boost::json::object meta;
    std::optional<std::string> thumbnail;  // JPEG bytes
    boost::json::object thumbnail_meta;
};

FileService::FileService(db::Pool& pool, const Clock& clock, FileOptions options)
    : pool_(pool), clock_(clock), options_(std::move(options)) {}

Result<FileService::Prepared> FileService::Prepare(TypeDecision type, ByteSource& body) const {
    Prepared prepared;
    prepared.type = std::move(type);
    switch (FamilyOf(prepared.type.kind)) {
        case Family::kImage: {
            auto image = ProbeImage(prepared.type.kind, body.All(), options_.thumbnail_px);
            if (!image.ok()) return std::move(image).error();
            prepared.meta = ImageMeta(image->facts, options_.exif_assumed_utc_offset_min);
            prepared.thumbnail = std::move(image->thumbnail_jpeg);
            prepared.thumbnail_meta["width"] = image->thumbnail_width;
            prepared.thumbnail_meta["height"] = image->thumbnail_height;
            break;
        }
        case Family::kMedia: {
            auto media = ProbeMedia(prepared.type.kind, body);
            if (!media.ok()) return std::move(media).error();
            prepared.meta = MediaMeta(media.value());
            prepared.type.content_type = RefineMediaType(prepared.type.kind, media->has_video);
            break;
        }
        default: break;
    }
    return prepared;
}

Result<UploadResult> FileService::Upload(api::RequestContext& ctx, std::string_view claimed_content_type,
                                         std::string_view body) {
    MemoryBytes bytes(body);
    return Store(ctx, claimed_content_type, bytes, nullptr);
}

Result<UploadResult> FileService::Upload(api::RequestContext& ctx, std::string_view claimed_content_type,
                                         ByteSource& body, const CompletedUpload& upload) {
    return Store(ctx, claimed_content_type, body, &upload);
}

Result<UploadResult> FileService::Store(api::RequestContext& ctx, std::string_view claimed_content_type,
                                        ByteSource& body, const CompletedUpload* upload) {
    const auto size = static_cast<size_t>(body.size());
    if (size == 0) {
        return AppError{"file_empty", "文件内容为空 / The file is empty", {}, {}};
    }
    if (size > options_.max_upload_bytes) {
        return AppError{"payload_too_large",
                        "文件过大（上限 " + std::to_string(options_.max_upload_bytes >> 20) +
                            " MB）/ The file is too "
                            "large (at most " +
                            std::to_string(options_.max_upload_bytes >> 20) + " MB)",
                        {},
                        {}};
    }
    // The claim is checked against the bytes on every upload, even of bytes the store already holds. Audio and
    // video are told by their first bytes; anything else (a ZIP's directory is at its end) is sniffed whole.
    const std::string_view head = body.ReadAt(0, kSniffHeadBytes);
    const bool media_head = head.size() == size || FamilyOf(Sniff(head)) == Family::kMedia;
    auto type = DecideType(claimed_content_type, media_head ? head : body.All());
    if (!type.ok()) return std::move(type).error();

    const std::string& tenant_id = ctx.user().tenant_id;
    const std::string id = upload ? upload->sha256 : ContentSha256Hex(body.All());
    db::Connection& conn = ctx.Db();
    auto found = FileStore::FindWithTenant(conn, tenant_id, id);
    if (found && found->tenant_created_at) {
        ctx.MarkAudited();  // nothing changed
        found->blob.created_at = *found->tenant_created_at;
        return UploadResult{InfoFromRow(std::move(found->blob)), false};
    }

    std::optional<NewBlob> blob;
    std::optional<NewBlob> thumbnail;
    if (!found) {
        // Decoding is the expensive part: done before the write transaction, which stays short.
        auto prepared = Prepare(std::move(type).value(), body);
        if (!prepared.ok()) return std::move(prepared).error();
        const TimePoint now = clock_.Now();
        if (prepared->thumbnail) {
            thumbnail = NewBlob{ContentSha256Hex(*prepared->thumbnail),
                                static_cast<int64_t>(prepared->thumbnail->size()),
                                "image/jpeg",
                                boost::json::serialize(prepared->thumbnail_meta),
                                std::nullopt,
                                std::nullopt,
                                now};
        }
        blob = NewBlob{id,
                       static_cast<int64_t>(size),
                       prepared->type.content_type,
                       boost::json::serialize(prepared->meta),
                       thumbnail ? std::optional<std::string>(thumbnail->id) : std::nullopt,
                       std::nullopt,
                       now};
        // Bytes reach disk (atomically, durably) before the rows that name them commit. A failed transaction
        // leaves an unreferenced file, which the next upload of the same bytes reuses.
        if (options_.dir.empty()) {
            if (!upload) blob->data = std::string(body.All());
            if (thumbnail) thumbnail->data = std::move(prepared->thumbnail);
        } else {
            if (upload && !upload->part_file.empty()) {
                LinkBlobFile(id, upload->part_file);
            } else {
                WriteBlobFile(id, body.All());
            }
            if (thumbnail) WriteBlobFile(thumbnail->id, *prepared->thumbnail);
        }
    }

    // The blob as the response shows it when this upload stores what it looked up or prepared (the usual case).
    std::optional<BlobRow> known;
    if (found) known = std::move(found->blob);
    if (blob) known = BlobRow{blob->id, blob->size, blob->content_type, blob->meta_json, blob->thumbnail_id, {}};

    db::Transaction tx(conn, db::TxMode::kWrite);
    // A blob that adopts its upload's chunks keeps data NULL; the chunks move with it or not at all.
    if (blob) {
        std::vector<NewBlob> blobs;
        if (thumbnail) blobs.push_back(std::move(*thumbnail));
        blobs.push_back(std::move(*blob));
        const auto ids = FileStore::InsertBlobs(conn, std::move(blobs));
        const bool inserted = std::find(ids.begin(), ids.end(), id) != ids.end();
        if (!inserted) known.reset();  // a concurrent upload stored these bytes first: read what it stored
        if (inserted && upload && options_.dir.empty() &&
            FileStore::AdoptUploadChunks(conn, upload->upload_id, id) == 0) {
            throw std::runtime_error("upload " + upload->upload_id + " has no chunks to store as file " + id);
        }
    }
    // Milliseconds, as the column keeps it, so the response says what a later read says.
    const TimePoint at = FromUnixMillis(ToUnixMillis(clock_.Now()));
    const bool created = FileStore::InsertTenantFile(conn, tenant_id, id, ctx.user().user_id, at);
    if (!created || !known) {
        known = FileStore::FindForTenant(conn, tenant_id, id);
        if (!known) throw std::runtime_error("file " + id + " vanished inside its own upload transaction");
    } else {
        known->created_at = at;
    }
    FileInfo info = InfoFromRow(std::move(*known));
    if (created) {
        audit::Record(ctx, "file.upload", "file", id, nullptr, AuditAfter(info));
    } else {
        ctx.MarkAudited();  // a concurrent upload of the same bytes by this tenant won
    }
    tx.Commit();
    return UploadResult{std::move(info), created};
}

std::optional<FileInfo> FileService::Find(db::Connection& conn, const std::string& tenant_id,
                                          std::string_view id) const {
    auto normalized = NormalizeFileId(id);
    if (!normalized) return std::nullopt;
    auto row = FileStore::FindForTenant(conn, tenant_id, *normalized);
    if (!row) return std::nullopt;
    return InfoFromRow(std::move(*row));
}

std::optional<FileInfo> FileService::Find(const std::string& tenant_id, std::string_view id) const {
    db::Lease lease = pool_.Acquire();
    return Find(*lease, tenant_id, id);
}

bool FileService::Has(db::Connection& conn, const std::string& tenant_id, std::string_view id) const {
    auto normalized = NormalizeFileId(id);
    return normalized && FileStore::TenantHas(conn, tenant_id, *normalized);
}

bool FileService::MayRead(api::RequestContext& ctx, std::string_view id) const {
    auto normalized = NormalizeFileId(id);
    if (!normalized) return false;
    auto stored_by = FileStore::StoredBy(ctx.Db(), ctx.user().tenant_id, *normalized);
    if (!stored_by) return false;
    return uses_.MayRead(ctx, *normalized, *stored_by);
}

std::vector<std::string> FileService::Missing(db::Connection& conn, const std::string& tenant_id,
                                              const std::vector<std::string>& ids) const {
    std::vector<std::string> well_formed;
    for (const auto& id : ids) {
        if (auto normalized = NormalizeFileId(id)) well_formed.push_back(std::move(*normalized));
    }
    const std::vector<std::string> had = FileStore::TenantHasOf(conn, tenant_id, well_formed);
    const std::set<std::string> has(had.begin(), had.end());
    std::vector<std::string> missing;
    for (const auto& id : ids) {
        auto normalized = NormalizeFileId(id);
        if (!normalized || !has.contains(*normalized)) missing.push_back(id);
    }
    return missing;
}

Result<FileContent> FileService::Read(db::Connection& conn, const std::string& tenant_id, std::string_view id) const {
    auto file = Find(conn, tenant_id, id);
    if (!file) return AppError::NotFound("文件 / File");
    return FileContent{file->id, file->content_type, LoadBytes(conn, file->id, file->size)};
}

Result<FileContent> FileService::ReadThumbnail(db::Connection& conn, const std::string& tenant_id,
                                               std::string_view id) const {
    auto file = Find(conn, tenant_id, id);
    if (!file) return AppError::NotFound("文件 / File");
    if (!file->thumbnail_id) return AppError::NotFound("缩略图 / Thumbnail");
    auto thumbnail = FileStore::FindBlob(conn, *file->thumbnail_id);
    if (!thumbnail) throw std::runtime_error("thumbnail blob " + *file->thumbnail_id + " is missing");
    return FileContent{thumbnail->id, thumbnail->content_type, LoadBytes(conn, thumbnail->id, thumbnail->size)};
}

std::string FileService::LoadBytes(db::Connection& conn, const std::string& id, int64_t size) const {
    if (auto inline_bytes = FileStore::BlobData(conn, id)) return std::move(*inline_bytes);
    const std::filesystem::path path = options_.dir.empty() ? std::filesystem::path() : BlobPath(options_.dir, id);
    std::error_code ec;
    // In the database as its upload's chunks: PostgreSQL without a folder, or a file stored before one was set.
    if (path.empty() || !std::filesystem::exists(path, ec)) {
        std::string bytes = FileStore::ChunkData(conn, id, size);
        if (static_cast<int64_t>(bytes.size()) != size) {
            if (!path.empty() && bytes.empty()) throw std::runtime_error("blob file missing: " + path.string());
            throw std::runtime_error("blob " + id + " has " + std::to_string(bytes.size()) +
                                     " bytes in its chunks, not " + std::to_string(size));
        }
        return bytes;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("blob file missing: " + path.string());
    std::string bytes(static_cast<size_t>(size), '\0');
    in.read(bytes.data(), size);
    if (in.gcount() != size || in.peek() != std::ifstream::traits_type::eof()) {
        throw std::runtime_error("blob file has the wrong size: " + path.string());
    }
    return bytes;
}

void FileService::WriteBlobFile(const std::string& id, std::string_view bytes) const {
    const std::filesystem::path path = BlobPath(options_.dir, id);
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) == bytes.size() && !ec) return;  // already there (same id, same bytes)
    const std::filesystem::path dir = path.parent_path();
    std::filesystem::create_directories(dir);
    // Written under a temporary name, flushed, then renamed: the final name only ever holds complete files.
    const std::filesystem::path temp = dir / ("." + id + "." + HexEncode(RandomBytes(kTempSuffixBytes)) + ".tmp");
    try {
        Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
        if (fd.get() < 0) ThrowErrno("create " + temp.string());
        WriteAll(fd.get(), bytes, temp.string());
        if (::fsync(fd.get()) != 0) ThrowErrno("fsync " + temp.string());
        fd.Close("close " + temp.string());
        if (::rename(temp.c_str(), path.c_str()) != 0) ThrowErrno("rename " + temp.string());
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    SyncDirectory(dir);
}

void FileService::LinkBlobFile(const std::string& id, const std::filesystem::path& complete_file) const {
    const std::filesystem::path path = BlobPath(options_.dir, id);
    const std::filesystem::path dir = path.parent_path();
    std::filesystem::create_directories(dir);
    // A file already under the name is complete (names are only ever given to complete files) and of the same bytes.
    if (::link(complete_file.c_str(), path.c_str()) != 0 && errno != EEXIST) {
        ThrowErrno("link " + complete_file.string() + " to " + path.string());
    }
    SyncDirectory(dir);
}

}  // namespace safeloop::files
