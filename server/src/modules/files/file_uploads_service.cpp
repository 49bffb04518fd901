#include "modules/files/file_uploads_service.hpp"

#include <algorithm>
#include <memory>

#include "core/ids.hpp"
#include "modules/files/file_hash.hpp"

namespace safeloop::files {

namespace {

AppError UploadNotFound() { return AppError::NotFound("上传会话 / Upload session"); }

int64_t NowMs(const api::RequestContext& ctx) { return ToUnixMillis(ctx.Now()); }

AppError OffsetMismatch(int64_t received) {
    return AppError{"offset_mismatch",
                    "分片位置不对，请从已接收的字节处继续 / The chunk does not start where the upload stands; "
                    "resume from `received`",
                    {},
                    {{"received", received}}};
}

constexpr std::string_view kPartsFolder = "uploads";

// The step a chunk takes the session by: from where it stands, with its digest state advanced over the bytes. A
// state that does not restore (none before V017) stays absent, and completion hashes the bytes instead.
UploadStore::Step StepOver(const UploadSession& s, std::string_view bytes) {
    UploadStore::Step step{s.received, static_cast<int64_t>(bytes.size()), s.sha_state, std::nullopt};
    if (s.sha_state) {
        if (auto digest = UploadDigest::Restore(*s.sha_state)) {
            digest->Update(bytes);
            step.digest_after = digest->Save();
        }
    }
    return step;
}

// A completed upload's part file, read where the reader asks (folder mode).
class PartBytes final : public ByteSource {
public:
    PartBytes(const UploadPart& part, int64_t size) : part_(part), size_(size) {}
    int64_t size() const override { return size_; }
    std::string_view ReadAt(int64_t offset, size_t length) override {
        if (offset < 0 || offset >= size_) return {};
        piece_ = part_.ReadAt(offset, std::min<size_t>(length, static_cast<size_t>(size_ - offset)));
        return piece_;
    }
    std::string_view All() override {
        if (!all_) all_ = part_.Read(size_);
        return *all_;
    }

private:
    const UploadPart& part_;
    int64_t size_;
    std::string piece_;
    std::optional<std::string> all_;
};

// A completed upload's chunk rows (database mode), read a window at a time: a video's probe reads its header and
// index, not the whole video.
class ChunkRowBytes final : public ByteSource {
public:
    ChunkRowBytes(db::Connection& conn, std::string upload_id, int64_t size)
        : conn_(conn), upload_id_(std::move(upload_id)), size_(size) {}
    int64_t size() const override { return size_; }
    std::string_view ReadAt(int64_t offset, size_t length) override {
        if (offset < 0 || offset >= size_) return {};
        length = std::min<size_t>(length, static_cast<size_t>(size_ - offset));
        const bool inside = offset >= window_offset_ && offset + static_cast<int64_t>(length) <=
                                                            window_offset_ + static_cast<int64_t>(window_.size());
        if (!inside) {
            window_offset_ = offset;
            window_.clear();
            const auto want =
                std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(length), kWindow), size_ - offset);
            while (static_cast<int64_t>(window_.size()) < want) {
                const auto at = offset + static_cast<int64_t>(window_.size());
                std::string piece =
                    UploadStore::ChunkSlice(conn_, upload_id_, at, want - static_cast<int64_t>(window_.size()));
                if (piece.empty()) break;  // fewer rows than the session counted: the reader sees the end early
                window_ += piece;
            }
        }
        const auto from = static_cast<size_t>(offset - window_offset_);
        return std::string_view(window_).substr(from,
                                                std::min(length, window_.size() - std::min(from, window_.size())));
    }
    std::string_view All() override {
        if (!all_) all_ = UploadStore::ChunkBytes(conn_, upload_id_, size_);
        return *all_;
    }

private:
    static constexpr int64_t kWindow = int64_t{256} * 1024;
    db::Connection& conn_;
    std::string upload_id_;
    int64_t size_;
    int64_t window_offset_ = 0;
    std::string window_;
    std::optional<std::string> all_;
};

}  // namespace

UploadService::UploadService(FileService& files)
    : files_(files),
      parts_dir_(files.options().dir.empty() ? std::filesystem::path() : files.options().dir / kPartsFolder) {}

Result<UploadState> UploadService::Start(api::RequestContext& ctx, const std::string& sha256, int64_t size,
                                         const std::string& content_type) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    if (size <= 0 || static_cast<size_t>(size) > files_.options().max_upload_bytes) {
        return AppError::Validation("size", "应为 1 至 " + std::to_string(files_.options().max_upload_bytes >> 20U) +
                                                " MB / must be from 1 byte to the upload limit");
    }
    if (auto file = files_.Find(conn, me.tenant_id, sha256)) {
        return UploadState{std::nullopt, UploadResult{std::move(*file), false}, false};
    }
    const int64_t now = NowMs(ctx);
    UploadSession s;
    s.id = NewUuidV7(ctx.clock());
    s.tenant_id = me.tenant_id;
    s.user_id = me.user_id;
    s.sha256 = sha256;
    s.size = size;
    s.content_type = content_type;
    s.created_at = now;
    s.updated_at = now;
    s.sha_state = UploadDigest().Save();
    std::vector<std::string> idle;
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        if (!parts_dir_.empty()) idle = UploadStore::IdleIds(conn, me.tenant_id, now - kUploadSessionTtlMs);
        UploadStore::DeleteIdle(conn, me.tenant_id, now - kUploadSessionTtlMs);
        UploadStore::Insert(conn, s);
        tx.Commit();
    }
    for (const auto& idle_id : idle) UploadPart::RemoveIfExists(parts_dir_, idle_id);
    auto stored = UploadStore::FindBySha(conn, me.tenant_id, sha256);
    if (!stored) throw std::runtime_error("upload session vanished after insert");
    if (stored->size != size) {
        return AppError{"upload_mismatch",
                        "同一内容的上传会话大小不同，请检查 sha256 与 size / A session for these bytes has another "
                        "size; check sha256 and size",
                        {},
                        {{"upload_id", stored->id}, {"size", stored->size}}};
    }
    const bool created = stored->id == s.id;
    return UploadState{std::move(*stored), std::nullopt, created};
}

Result<UploadState> UploadService::Status(api::RequestContext& ctx, const std::string& id) {
    auto s = UploadStore::Find(ctx.Db(), ctx.user().tenant_id, id);
    if (!s) return UploadNotFound();
    if (s->received == s->size) return Complete(ctx, *s);
    return UploadState{std::move(*s), std::nullopt, false};
}

Result<UploadState> UploadService::Append(api::RequestContext& ctx, const std::string& id, const ChunkRange& range,
                                          const std::string& bytes) {
    auto s = UploadStore::Find(ctx.Db(), ctx.user().tenant_id, id);
    if (!s) return UploadNotFound();
    if (auto check = CheckChunk(range, bytes.size(), s->size, s->received); !check.ok()) return check.error();
    return parts_dir_.empty() ? AppendToDatabase(ctx, *s, bytes) : AppendToPart(ctx, id, range, bytes);
}

Result<UploadState> UploadService::AppendToPart(api::RequestContext& ctx, const std::string& id,
                                                const ChunkRange& range, const std::string& bytes) {
    const auto& me = ctx.user();
    db::Connection& conn = ctx.Db();
    UploadPart part(parts_dir_, id);  // one chunk of a session at a time from here on
    auto s = UploadStore::Find(conn, me.tenant_id, id);
    if (!s) {
        part.Remove();  // completed by another request meanwhile; opening made the file again
        return UploadNotFound();
    }
    if (range.first != s->received) return OffsetMismatch(s->received);  // another request appended here first
    if (part.Size() < s->received) {
        // The bytes acknowledged so far are gone (the part file was deleted behind the server's back): start over.
        part.Clear();
        db::Transaction tx(conn, db::TxMode::kWrite);
        UploadStore::Reset(conn, id, UploadDigest().Save(), NowMs(ctx));
        tx.Commit();
        return OffsetMismatch(0);
    }
    // On disk before it is counted: a crash in between leaves bytes past `received`, which the next chunk overwrites.
    part.WriteAt(range.first, bytes);
    UploadStore::Step step = StepOver(*s, bytes);
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        if (!UploadStore::Advance(conn, me.tenant_id, id, step, NowMs(ctx))) {
            throw std::runtime_error("upload session " + id + " moved while its part file was locked");
        }
        tx.Commit();
    }
    s->received += step.length;
    s->sha_state = std::move(step.digest_after);
    if (s->received == s->size) return Finish(ctx, *s, &part);
    return UploadState{std::move(*s), std::nullopt, false};
}

Result<UploadState> UploadService::AppendToDatabase(api::RequestContext& ctx, const UploadSession& session,
                                                    const std::string& bytes) {
    const auto& me = ctx.user();
    const std::string& id = session.id;
    db::Connection& conn = ctx.Db();
    bool appended = false;
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        appended = UploadStore::AppendChunk(conn, me.tenant_id, id, StepOver(session, bytes), bytes, NowMs(ctx));
        tx.Commit();
    }
    auto s = UploadStore::Find(conn, me.tenant_id, id);
    if (!s) return UploadNotFound();
    if (!appended) return OffsetMismatch(s->received);  // another request appended here first
    if (s->received == s->size) return Complete(ctx, *s);
    return UploadState{std::move(*s), std::nullopt, false};
}

Result<UploadState> UploadService::Complete(api::RequestContext& ctx, const UploadSession& session) {
    if (parts_dir_.empty()) return Finish(ctx, session, nullptr);
    UploadPart part(parts_dir_, session.id);
    auto s = UploadStore::Find(ctx.Db(), ctx.user().tenant_id, session.id);  // again, under the part's lock
    if (!s) {
        part.Remove();
        return UploadNotFound();
    }
    if (s->received != s->size) return UploadState{std::move(*s), std::nullopt, false};
    return Finish(ctx, *s, &part);
}

Result<UploadState> UploadService::Finish(api::RequestContext& ctx, const UploadSession& session, UploadPart* part) {
    db::Connection& conn = ctx.Db();
    // The digest carried with the chunks says what the bytes hash to. A session from before V017 has none, and a
    // part file of another length than the session counts was touched behind the server's back: those bytes are
    // read and hashed.
    std::optional<std::string> bytes;
    std::string hash;
    auto digest = session.sha_state ? UploadDigest::Restore(*session.sha_state) : std::nullopt;
    if (digest && digest->length() == session.size && (!part || part->Size() == session.size)) {
        hash = digest->Hex();
    } else {
        bytes = part ? part->Read(session.size) : UploadStore::ChunkBytes(conn, session.id, session.size);
        if (static_cast<int64_t>(bytes->size()) == session.size) hash = ContentSha256Hex(*bytes);
    }
    if (hash != session.sha256) {
        // Another request completing the same session may have stored the file (and taken the chunks) meanwhile:
        // the tenant has these bytes, so the session has served.
        if (auto file = files_.Find(conn, session.tenant_id, session.sha256)) {
            db::Transaction tx(conn, db::TxMode::kWrite);
            UploadStore::Delete(conn, session.id);
            tx.Commit();
            if (part) part->Remove();
            return UploadState{std::nullopt, UploadResult{std::move(*file), false}, false};
        }
        if (part) part->Clear();
        db::Transaction tx(conn, db::TxMode::kWrite);
        UploadStore::Reset(conn, session.id, UploadDigest().Save(), NowMs(ctx));
        tx.Commit();
        return AppError{"checksum_mismatch",
                        "收到的内容与 sha256 不符，请从头重新上传 / The bytes received do not match sha256; upload "
                        "again from the start",
                        {},
                        {{"received", 0}}};
    }
    // Database mode: a new blob takes over the chunk rows; folder mode: the part file (when it was not read here,
    // a new blob's file is a link to it). Neither is written again.
    CompletedUpload completed{session.id, session.sha256, {}};
    std::unique_ptr<ByteSource> source;
    if (bytes) {
        source = std::make_unique<MemoryBytes>(*bytes);
    } else if (part) {
        source = std::make_unique<PartBytes>(*part, session.size);
        completed.part_file = part->path();
    } else {
        source = std::make_unique<ChunkRowBytes>(conn, session.id, session.size);
    }
    auto stored = files_.Upload(ctx, session.content_type, *source, completed);
    // Stored, or refused for what the bytes are (type, corrupt): either way the session has served.
    {
        db::Transaction tx(conn, db::TxMode::kWrite);
        UploadStore::Delete(conn, session.id);
        tx.Commit();
    }
    if (part) part->Remove();
    if (!stored.ok()) {
        // Database mode: another request may have completed the session meanwhile (a status check racing the last
        // chunk) and taken the chunk rows while they were being read here, so they came out short. The tenant has
        // the file then, and that is the answer.
        if (!part) {
            if (auto file = files_.Find(conn, session.tenant_id, session.sha256)) {
                return UploadState{std::nullopt, UploadResult{std::move(*file), false}, false};
            }
        }
        return std::move(stored).error();
    }
    return UploadState{std::nullopt, std::move(stored).value(), false};
}

}  // namespace safeloop::files
