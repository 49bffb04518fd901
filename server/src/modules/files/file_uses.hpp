#pragma once

// Who may read a file: someone who may read a record that uses it. The files module knows no feature; each feature
// whose records refer to files (a hazard's photos, a rectification's evidence) registers one check while the app
// is composed: "which of my records use file X, and may this principal read one of them". A file that no record
// uses yet is readable only by the person who stored it in the tenant (the phone shows its own photo before its
// report syncs). Everyone else gets 404 not_found, as for a file the tenant does not have.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/context.hpp"

namespace safeloop::files {

struct FileUse {
    bool used = false;      // a record of the feature refers to the file
    bool readable = false;  // and the caller may read one of those records
};

// Asked with a normalised file id of the caller's tenant (ctx.user().tenant_id).
using FileUseCheck = std::function<FileUse(api::RequestContext& ctx, const std::string& file_id)>;

class FileUses {
public:
    void Register(std::string feature, FileUseCheck check) {
        checks_.emplace_back(std::move(feature), std::move(check));
    }

    // True when some feature's record using the file is readable by ctx's principal, or when no record uses it and
    // the principal is `stored_by` (who stored it in the tenant first).
    bool MayRead(api::RequestContext& ctx, const std::string& file_id, const std::string& stored_by) const {
        bool used = false;
        for (const auto& [feature, check] : checks_) {
            const FileUse use = check(ctx, file_id);
            if (use.readable) return true;
            used = used || use.used;
        }
        return !used && ctx.user().user_id == stored_by;
    }

private:
    std::vector<std::pair<std::string, FileUseCheck>> checks_;
};

}  // namespace safeloop::files
