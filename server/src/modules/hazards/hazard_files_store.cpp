#include "modules/hazards/hazard_files_store.hpp"

#include <algorithm>

#include "modules/files/file_rules.hpp"

namespace safeloop::hazards {

namespace {

constexpr std::string_view kRecordPrefix = "INSERT INTO hazard_file_uses (tenant_id, file_id, hazard_id) VALUES ";
constexpr std::string_view kRecordSuffix = " ON CONFLICT DO NOTHING";
constexpr size_t kRecordRows = 100;
// The primary key (tenant_id, file_id, hazard_id) answers it; hazard ids are UUIDv7, so the oldest uses come first.
constexpr std::string_view kHazardsUsing =
    "SELECT hazard_id FROM hazard_file_uses WHERE tenant_id = $1 AND file_id = $2 ORDER BY hazard_id LIMIT $3";

void Add(std::vector<HazardFileUse>& out, const std::string& tenant_id, const std::string& hazard_id,
         std::string_view file_id) {
    auto normalized = files::NormalizeFileId(file_id);
    if (!normalized) return;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const HazardFileUse& u) {
        return u.file_id == *normalized && u.hazard_id == hazard_id && u.tenant_id == tenant_id;
    });
    if (!seen) out.push_back(HazardFileUse{tenant_id, std::move(*normalized), hazard_id});
}

}  // namespace

std::vector<HazardFileUse> FileUsesOf(const Hazard& h) {
    std::vector<HazardFileUse> out;
    for (const auto& photo : h.photos) Add(out, h.tenant_id, h.id, photo);
    return out;
}

std::vector<HazardFileUse> FileUsesOf(const Rectification& r) {
    std::vector<HazardFileUse> out;
    for (const auto& item : r.evidence) Add(out, r.tenant_id, r.hazard_id, item.file_id);
    if (r.signature_file_id) Add(out, r.tenant_id, r.hazard_id, *r.signature_file_id);
    return out;
}

std::vector<HazardFileUse> FileUsesOf(const VoiceNote& n) {
    std::vector<HazardFileUse> out;
    Add(out, n.tenant_id, n.hazard_id, n.file_id);
    return out;
}

void HazardFilesStore::Record(db::Connection& conn, const std::vector<HazardFileUse>& uses) {
    for (size_t start = 0; start < uses.size(); start += kRecordRows) {
        const size_t end = std::min(uses.size(), start + kRecordRows);
        std::string sql(kRecordPrefix);
        db::Params params;
        params.reserve((end - start) * 3);
        for (size_t i = start; i < end; ++i) {
            if (i > start) sql += ", ";
            const size_t n = params.size();
            sql += "($" + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" + std::to_string(n + 3) + ")";
            params.emplace_back(uses[i].tenant_id);
            params.emplace_back(uses[i].file_id);
            params.emplace_back(uses[i].hazard_id);
        }
        sql += kRecordSuffix;
        conn.Exec(sql, params);
    }
}

std::vector<std::string> HazardFilesStore::HazardsUsing(db::Connection& conn, const std::string& tenant_id,
                                                        const std::string& file_id, size_t limit) {
    std::vector<std::string> out;
    for (const auto& row : conn.Query(kHazardsUsing, {tenant_id, file_id, static_cast<int64_t>(limit)})) {
        out.push_back(row.Text(0));
    }
    return out;
}

}  // namespace safeloop::hazards
