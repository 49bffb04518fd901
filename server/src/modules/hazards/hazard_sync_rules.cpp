#include "modules/hazards/hazard_sync_rules.hpp"

#include <fmt/format.h>

namespace safeloop::hazards {

namespace {

AppError Conflict(std::string code, const std::string& message) { return AppError{std::move(code), message, {}, {}}; }

}  // namespace

std::optional<AppError> HazardConflict(HazardAction action, const HazardView& h, const HazardExpectation& expected,
                                       const std::string& user_id) {
    if (h.status == "archived") {
        return Conflict("hazard_archived",
                        fmt::format("隐患 {} 已归档，不能再操作；您离线所做的操作未生效 / Hazard {} is archived and "
                                    "read-only; what you did offline was not applied",
                                    h.code, h.code));
    }
    const std::string by = h.verified_by_name.value_or("安全员 / a safety officer");
    const std::string at = h.verified_at.value_or("");
    if (action == HazardAction::kVerify) {
        // First verification applied wins: the hazard is no longer waiting for the round the phone saw.
        const bool verified_since =
            h.status != "submitted" || (expected.round && h.latest_round && *expected.round != *h.latest_round);
        if (verified_since && h.verified_result) {
            const bool pass = *h.verified_result == "pass";
            return Conflict("already_verified",
                            fmt::format("隐患 {} 已由 {} 于 {} 验收（{}），您的验收未生效 / Hazard {} was already "
                                        "verified by {} at {} ({}); your verification was not applied",
                                        h.code, by, at, pass ? "通过" : "不通过，退回整改", h.code, by, at,
                                        pass ? "passed" : "failed, sent back for rework"));
        }
        if (h.status == "closed") {
            return Conflict("already_verified",
                            fmt::format("隐患 {} 已关闭，您的验收未生效 / Hazard {} is already closed; your "
                                        "verification was not applied",
                                        h.code, h.code));
        }
        return std::nullopt;
    }
    if (h.status == "closed") {
        return Conflict("hazard_closed",
                        fmt::format("隐患 {} 已于 {} 验收关闭，您离线所做的操作未生效 / Hazard {} was closed "
                                    "(verified at {}); what you did offline was not applied",
                                    h.code, at, h.code, at));
    }
    const bool other_assignment = expected.assignment_no && *expected.assignment_no != h.assignment_no;
    const bool not_mine = h.assignee_id.has_value() && *h.assignee_id != user_id;
    if (other_assignment || not_mine) {
        const std::string who = h.assignee_name.empty() ? "其他人 / someone else" : h.assignee_name;
        return Conflict("reassigned",
                        fmt::format("隐患 {} 在您离线期间已改派给 {}，您的操作未生效 / Hazard {} was reassigned to "
                                    "{} while you were offline; what you did was not applied",
                                    h.code, who, h.code, who));
    }
    return std::nullopt;
}

AppError ReassignedOutOfSight() {
    return Conflict("reassigned",
                    "此隐患在您离线期间已改派，已不在您的范围内；您的操作未生效 / This hazard was reassigned while "
                    "you were offline and is no longer yours; what you did was not applied");
}

}  // namespace safeloop::hazards
