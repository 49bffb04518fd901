#pragma once

// The conflict rules for hazard actions done offline (pure, no I/O): what the server holds now against what the
// phone saw when the worker acted without signal. Applied by the hazard mutation types (hazard_sync.cpp) before
// the action itself; see docs/sync.md ("Conflicts").

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace safeloop::hazards {

enum class HazardAction { kAccept, kRectify, kVerify, kExtension };

// What the server holds now (from the hazard's detail).
struct HazardView {
    std::string code;    // YH-2026-000123
    std::string status;  // reported, assigned, accepted, submitted, rework, closed, archived
    std::optional<std::string> assignee_id;
    std::string assignee_name;
    int64_t assignment_no = 0;
    std::optional<int64_t> latest_round;  // the latest rectification's round
    // The latest verification: who (name), when (RFC 3339), pass or fail.
    std::optional<std::string> verified_by_name;
    std::optional<std::string> verified_at;
    std::optional<std::string> verified_result;
};

// What the phone saw when the action was done offline (optional fields of the payload).
struct HazardExpectation {
    std::optional<int64_t> assignment_no;  // accept, rectify, extension
    std::optional<int64_t> round;          // verify: the rectification round being verified
};

// The conflict an offline action runs into, if any; nullopt lets the hazard module decide as usual.
// Codes: hazard_archived, hazard_closed, already_verified, reassigned (docs/sync.md).
std::optional<AppError> HazardConflict(HazardAction action, const HazardView& hazard, const HazardExpectation& expected,
                                       const std::string& user_id);

// An action on a hazard the user can no longer see at all (reassigned out of their data scope): the same
// code, without naming who holds it now.
AppError ReassignedOutOfSight();

}  // namespace safeloop::hazards
