#include "modules/files/file_uploads_routes.hpp"

#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/path.hpp"
#include "core/ids.hpp"
#include "modules/files/file_permissions.hpp"
#include "modules/files/file_uploads_service.hpp"

namespace safeloop::files {

namespace {

constexpr size_t kMaxContentTypeChars = 100;

boost::json::object FileJson(const FileInfo& file) {
    return boost::json::object{{"id", file.id},
                               {"size", file.size},
                               {"content_type", file.content_type},
                               {"meta", file.meta},
                               {"created_at", FormatRfc3339(file.created_at)}};
}

http::Response Answer(api::RequestContext& ctx, const Result<UploadState>& r, int new_session_status = 200) {
    if (!r.ok()) return http::Response::Error(r.error());
    ctx.MarkAudited();  // the stored file is audited by FileService::Upload; chunks are not changes
    boost::json::object o;
    if (r->file) {
        o["upload_id"] = nullptr;
        o["complete"] = true;
        o["received"] = r->file->file.size;
        o["size"] = r->file->file.size;
        o["file"] = FileJson(r->file->file);
        auto response = http::Response::Json(r->file->created ? 201 : 200, o);
        response.headers.emplace_back("Location", "/api/v1/files/" + r->file->file.id);
        return response;
    }
    const auto& s = *r->session;
    o["upload_id"] = s.id;
    o["complete"] = false;
    o["sha256"] = s.sha256;
    o["size"] = s.size;
    o["content_type"] = s.content_type;
    o["received"] = s.received;
    o["chunk_max"] = kMaxChunkBytes;
    return http::Response::Json(r->created ? new_session_status : 200, o);
}

}  // namespace

void RegisterUploadRoutes(api::Router& router, UploadService& service) {
    router.Add("POST", "/api/v1/files/uploads", perm::kWrite, [&service](api::RequestContext& ctx) {
        auto body = api::ParseJsonObject(ctx.req());
        if (!body.ok()) return http::Response::Error(body.error());
        api::FieldReader f(*body);
        auto sha = f.OptionalString("sha256", 64);
        if (!sha || !IsSha256Hex(*sha))
            f.Fail("sha256", "必填，64 位小写十六进制 / required: 64 lower-case hex digits");
        auto size = f.OptionalInt("size", 1, INT64_MAX);
        if (!size) f.Fail("size", "必填，字节数 / required: the size in bytes");
        auto type = f.RequiredString("content_type", kMaxContentTypeChars);
        if (!f.ok()) return http::Response::Error(f.error());
        return Answer(ctx, service.Start(ctx, *sha, *size, type), 201);
    });

    router.Add("GET", "/api/v1/files/uploads/{id}", perm::kWrite, [&service](api::RequestContext& ctx) {
        auto id = api::PathId(ctx);
        if (!id) return http::Response::Error(AppError::NotFound("上传会话 / Upload session"));
        return Answer(ctx, service.Status(ctx, *id));
    });

    router.Add("PUT", "/api/v1/files/uploads/{id}", perm::kWrite, [&service](api::RequestContext& ctx) {
        auto id = api::PathId(ctx);
        if (!id) return http::Response::Error(AppError::NotFound("上传会话 / Upload session"));
        auto header = ctx.req().Header("content-range");
        std::optional<ChunkRange> range;
        if (header) range = ParseContentRange(*header);
        if (!range) {
            return http::Response::Error(
                AppError{"invalid_range",
                         "需要 Content-Range: bytes 起-止/总长 / Content-Range: bytes first-last/total is required",
                         {},
                         {}});
        }
        return Answer(ctx, service.Append(ctx, *id, *range, ctx.req().body));
    });
}

}  // namespace safeloop::files
