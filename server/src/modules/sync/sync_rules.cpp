#include "modules/sync/sync_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "api/paging.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace safeloop::sync {

namespace {

AppError Invalid(std::map<std::string, std::string> fields) {
    return AppError{"validation_failed", "同步批次格式有误 / The sync batch is malformed", std::move(fields), {}};
}

bool IsTypeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'; }

bool IsValidType(std::string_view type) {
    if (type.empty() || type.size() > kMaxTypeChars) return false;
    return std::ranges::all_of(type, IsTypeChar);
}

std::optional<int64_t> ToInt(std::string_view text) {
    int64_t v = 0;
    if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc()) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

Result<Batch> ParseBatch(const boost::json::object& body) {
    Batch batch;
    std::map<std::string, std::string> problems;
    const auto* device = body.if_contains("device_id");
    if (device == nullptr || !device->is_string() || device->as_string().empty() ||
        device->as_string().size() > kMaxDeviceIdChars) {
        problems["device_id"] =
            fmt::format("必填，1–{} 个字符 / required, 1–{} characters", kMaxDeviceIdChars, kMaxDeviceIdChars);
    } else {
        batch.device_id = std::string(device->as_string());
    }
    const auto* mutations = body.if_contains("mutations");
    if (mutations == nullptr || !mutations->is_array()) {
        problems["mutations"] = "必填，应为数组 / required, an array";
        return Invalid(std::move(problems));
    }
    const auto& array = mutations->as_array();
    if (array.size() > kMaxMutations) {
        return AppError{
            "too_many_mutations",
            fmt::format("一次最多同步 {} 条记录，请分批发送 / At most {} mutations per batch; send the rest "
                        "in another batch",
                        kMaxMutations, kMaxMutations),
            {},
            {{"max_mutations", kMaxMutations}}};
    }
    batch.mutations.reserve(array.size());
    for (size_t i = 0; i < array.size(); ++i) {
        const std::string at = fmt::format("mutations[{}]", i);
        const auto* obj = array[i].if_object();
        const boost::json::value* id = obj != nullptr ? obj->if_contains("id") : nullptr;
        if (id == nullptr || !id->is_string() || !IsUuid(id->as_string())) {
            problems[at + ".id"] = "每条记录须有 UUID 形式的 id / every mutation needs a UUID id";
            continue;
        }
        Mutation m;
        m.id = NormalizeUuid(id->as_string());
        std::map<std::string, std::string> fields;
        const auto* type = obj->if_contains("type");
        if (type == nullptr || !type->is_string() || !IsValidType(type->as_string())) {
            fields["type"] = "必填，由小写字母、数字、点和下划线组成 / required, of [a-z0-9._]";
        } else {
            m.type = std::string(type->as_string());
        }
        const auto* payload = obj->if_contains("payload");
        if (payload == nullptr || !payload->is_object()) {
            fields["payload"] = "必填，应为对象 / required, an object";
        } else {
            m.payload = payload->as_object();
        }
        if (const auto* created = obj->if_contains("created_at"); created != nullptr && !created->is_null()) {
            std::optional<TimePoint> t;
            if (created->is_string()) t = ParseRfc3339(created->as_string());
            if (!t) {
                fields["created_at"] = "应为 RFC 3339 时间 / must be an RFC 3339 time";
            } else {
                m.recorded_at = ToUnixMillis(*t);
            }
        }
        if (!fields.empty()) {
            m.invalid =
                AppError{"validation_failed", "同步记录格式有误 / The mutation is malformed", std::move(fields), {}};
        }
        batch.mutations.push_back(std::move(m));
    }
    if (!problems.empty()) return Invalid(std::move(problems));
    return batch;
}

bool IsRemembered(std::string_view code) {
    static const std::set<std::string_view> kRetryable = {"file_missing",   "not_found",   "unknown_type",
                                                          "internal_error", "unavailable", "id_conflict"};
    return !kRetryable.contains(code);
}

std::string EncodeChangeCursor(const ChangeCursor& cursor) {
    return api::EncodeCursor({cursor.phase == ChangeCursor::Phase::kSnapshot ? "s" : "c",
                              std::to_string(cursor.watermark), cursor.list_cursor, std::to_string(cursor.feed)});
}

std::optional<ChangeCursor> DecodeChangeCursor(std::string_view text) {
    auto parts = api::DecodeCursor(text);
    if (!parts || (parts->size() != 3 && parts->size() != 4)) return std::nullopt;
    const auto& phase = (*parts)[0];
    if (phase != "s" && phase != "c") return std::nullopt;
    auto watermark = ToInt((*parts)[1]);
    if (!watermark || *watermark < 0) return std::nullopt;
    ChangeCursor c;
    c.phase = phase == "s" ? ChangeCursor::Phase::kSnapshot : ChangeCursor::Phase::kChanges;
    c.watermark = *watermark;
    c.list_cursor = (*parts)[2];
    if (parts->size() == 4) {
        auto feed = ToInt((*parts)[3]);
        if (!feed || *feed < 0) return std::nullopt;
        c.feed = static_cast<size_t>(*feed);
    } else {
        c.list_cursor.clear();  // an older snapshot cursor: start the snapshot again (the phone upserts)
    }
    return c;
}

}  // namespace safeloop::sync
