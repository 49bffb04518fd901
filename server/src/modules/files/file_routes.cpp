#include "modules/files/file_routes.hpp"

#include "modules/files/file_permissions.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <utility>

namespace safeloop::files {

namespace {

constexpr std::string_view kImmutable = "private, max-age=31536000, immutable";

boost::json::object FileJson(const FileInfo& file) {
    boost::json::object o;
    o["id"] = file.id;
    o["size"] = file.size;
    o["content_type"] = file.content_type;
    o["meta"] = file.meta;
    o["created_at"] = FormatRfc3339(file.created_at);
    return o;
}

std::string ETag(const std::string& id) { return "\"" + id + "\""; }

// Text is stored as UTF-8; say so, so browsers never guess another charset.
std::string ServedType(const std::string& content_type) {
    if (content_type.rfind("text/", 0) == 0) return content_type + "; charset=utf-8";
    return content_type;
}

void AddCacheHeaders(http::Response& response, const std::string& id) {
    response.headers.emplace_back("Cache-Control", std::string(kImmutable));
    response.headers.emplace_back("ETag", ETag(id));
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
}

// Content never changes under an id, so a matching If-None-Match is always a 304.
bool NotModified(const http::Request& request, const std::string& id) {
    auto header = request.Header("if-none-match");
    if (!header) return false;
    const std::string etag = ETag(id);
    return *header == "*" || header->find(etag) != std::string_view::npos;
}

http::Response NotModifiedResponse(const std::string& id) {
    http::Response r;
    r.status = 304;
    r.content_type.clear();
    AddCacheHeaders(r, id);
    return r;
}

http::Response ServeContent(const http::Request& request, FileContent content, bool ranges) {
    const auto size = static_cast<int64_t>(content.bytes.size());
    std::optional<ByteRange> range;
    if (ranges) {
        if (auto header = request.Header("range")) range = ParseRange(*header, size);
    }
    http::Response response;
    if (range) {
        response = http::Response::Bytes(206, ServedType(content.content_type),
                                         content.bytes.substr(static_cast<size_t>(range->first),
                                                              static_cast<size_t>(range->last - range->first + 1)));
        response.headers.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                           std::to_string(range->last) + "/" + std::to_string(size));
    } else {
        response = http::Response::Bytes(200, ServedType(content.content_type), std::move(content.bytes));
    }
    if (ranges) response.headers.emplace_back("Accept-Ranges", "bytes");
    AddCacheHeaders(response, content.id);
    return response;
}

http::Response HandleUpload(FileService& service, api::RequestContext& ctx) {
    const http::Request& request = ctx.req();
    const std::string claimed(request.Header("content-type").value_or(""));
    auto result = service.Upload(ctx, claimed, request.body);
    if (!result.ok()) return http::Response::Error(result.error());
    auto response = http::Response::Json(result->created ? 201 : 200, FileJson(result->file));
    response.headers.emplace_back("Location", "/api/v1/files/" + result->file.id);
    return response;
}

AppError FileNotFound() { return AppError::NotFound("文件 / File"); }

http::Response HandleGet(FileService& service, api::RequestContext& ctx) {
    const http::Request& request = ctx.req();
    const std::string& tenant_id = ctx.user().tenant_id;
    const std::string& id = request.Param("id");
    if (request.method == "HEAD") {
        // The offline sync asks before uploading: answer from the index without reading the bytes.
        auto file = service.Find(ctx.Db(), tenant_id, id);
        if (!file) return http::Response::Error(AppError::NotFound("文件 / File"));
        http::Response response;
        response.content_type = ServedType(file->content_type);
        response.head_content_length = static_cast<size_t>(file->size);
        AddCacheHeaders(response, file->id);
        return response;
    }
    // The bytes only to someone who may read a record using them (file_uses.hpp): as if the tenant had no such file.
    if (!service.MayRead(ctx, id)) return http::Response::Error(FileNotFound());
    if (auto normalized = NormalizeFileId(id);
        normalized && NotModified(request, *normalized) && service.Has(ctx.Db(), tenant_id, *normalized)) {
        return NotModifiedResponse(*normalized);
    }
    auto content = service.Read(ctx.Db(), tenant_id, id);
    if (!content.ok()) return http::Response::Error(content.error());
    return ServeContent(request, std::move(content).value(), true);
}

http::Response HandleThumbnail(FileService& service, api::RequestContext& ctx) {
    const http::Request& request = ctx.req();
    if (!service.MayRead(ctx, request.Param("id"))) return http::Response::Error(FileNotFound());
    auto content = service.ReadThumbnail(ctx.Db(), ctx.user().tenant_id, request.Param("id"));
    if (!content.ok()) return http::Response::Error(content.error());
    if (NotModified(request, content->id)) return NotModifiedResponse(content->id);
    return ServeContent(request, std::move(content).value(), false);
}

http::Response HandleMeta(FileService& service, api::RequestContext& ctx) {
    // The metadata carries where and when a photo was taken: the same rule as the bytes.
    if (!service.MayRead(ctx, ctx.req().Param("id"))) return http::Response::Error(FileNotFound());
    auto file = service.Find(ctx.Db(), ctx.user().tenant_id, ctx.req().Param("id"));
    if (!file) return http::Response::Error(FileNotFound());
    boost::json::object body = FileJson(*file);
    body["has_thumbnail"] = file->thumbnail_id.has_value();
    return http::Response::Json(200, body);
}

}  // namespace

void RegisterFileRoutes(api::Router& router, FileService& service) {
    router.Add("POST", "/api/v1/files", perm::kWrite,
               [&service](api::RequestContext& ctx) { return HandleUpload(service, ctx); });
    router.Add("GET", "/api/v1/files/{id}", perm::kRead,
               [&service](api::RequestContext& ctx) { return HandleGet(service, ctx); });
    router.Add("GET", "/api/v1/files/{id}/thumbnail", perm::kRead,
               [&service](api::RequestContext& ctx) { return HandleThumbnail(service, ctx); });
    router.Add("GET", "/api/v1/files/{id}/meta", perm::kRead,
               [&service](api::RequestContext& ctx) { return HandleMeta(service, ctx); });
}

}  // namespace safeloop::files
