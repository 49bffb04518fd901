#include "modules/sync/sync_registry.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace safeloop::sync {

namespace {

// Audit entries looked at when asking whether an earlier attempt was applied: the entity's newest.
constexpr int64_t kAuditLookback = 200;

}  // namespace

void Registry::Register(std::string type, MutationHandler handler) {
    if (handlers_.contains(type)) throw std::logic_error("sync: mutation type registered twice: " + type);
    handlers_.emplace(std::move(type), std::move(handler));
}

const MutationHandler* Registry::Find(std::string_view type) const {
    auto it = handlers_.find(type);
    return it == handlers_.end() ? nullptr : &it->second;
}

void Registry::AddFeed(std::unique_ptr<ChangeFeed> feed) {
    if (!feed) throw std::logic_error("sync: a change feed must not be null");
    for (const auto& type : feed->FollowedTypes()) {
        for (const auto& other : feeds_) {
            const auto followed = other->FollowedTypes();
            if (std::ranges::find(followed, type) != followed.end()) {
                throw std::logic_error("sync: audit entity type followed by two feeds: " + type);
            }
        }
    }
    feeds_.push_back(std::move(feed));
}

std::vector<std::string> Registry::FollowedTypes() const {
    std::set<std::string> types;
    for (const auto& feed : feeds_) {
        for (auto& type : feed->FollowedTypes()) types.insert(std::move(type));
    }
    return {types.begin(), types.end()};
}

std::optional<AppError> RequirePermission(const api::RequestContext& ctx, std::string_view permission) {
    if (ctx.user().Has(permission)) return std::nullopt;
    const std::string p(permission);
    return AppError::Forbidden("您没有执行此操作的权限（需要 " + p + "）/ You lack the permission " + p);
}

bool AppliedEarlier(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id,
                    const std::string& mutation_id) {
    audit::ListFilter filter;
    filter.tenant_id = ctx.user().tenant_id;
    filter.entity_type = entity_type;
    filter.entity_id = entity_id;
    filter.limit = kAuditLookback;
    const std::string request_id = RequestIdFor(mutation_id);
    auto page = audit::List(ctx.Db(), filter);
    return std::ranges::any_of(page.items, [&](const auto& entry) { return entry.record.request_id == request_id; });
}

bool HasHistory(api::RequestContext& ctx, const std::string& entity_type, const std::string& entity_id) {
    audit::ListFilter filter;
    filter.tenant_id = ctx.user().tenant_id;
    filter.entity_type = entity_type;
    filter.entity_id = entity_id;
    filter.limit = 1;
    return !audit::List(ctx.Db(), filter).items.empty();
}

std::string RequestIdFor(const std::string& mutation_id) { return "sync:" + mutation_id; }

}  // namespace safeloop::sync
