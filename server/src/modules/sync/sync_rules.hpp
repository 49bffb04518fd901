#pragma once

// The offline sync's pure rules (no I/O): the shape and limits of a batch, which rejections are
// remembered under their mutation id, the conflict rules for hazard actions done offline, and the
// change feed's cursor. See docs/sync.md.

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace safeloop::sync {

// At most this many mutations in one POST /sync (a phone sends a longer outbox in several batches).
inline constexpr size_t kMaxMutations = 500;
// The largest POST /sync body accepted (the server's general JSON limit is smaller; see app.cpp).
inline constexpr size_t kMaxBatchBytes = 8U << 20U;
inline constexpr size_t kMaxTypeChars = 64;
inline constexpr size_t kMaxDeviceIdChars = 128;

struct Mutation {
    std::string id;  // the phone's UUID, lower case
    std::string type;
    boost::json::object payload;
    std::optional<int64_t> recorded_at;  // the phone's clock (created_at), UTC ms
    // A problem with this one mutation's shape (not the envelope's): it is answered `rejected`.
    std::optional<AppError> invalid;
};

struct Batch {
    std::string device_id;
    std::vector<Mutation> mutations;
};

// The envelope: `device_id` and `mutations` (1..kMaxMutations objects, each with a UUID `id`) or the
// whole request is refused (validation_failed, too_many_mutations). A bad `type`, `payload` or
// `created_at` only rejects that mutation.
Result<Batch> ParseBatch(const boost::json::object& body);

// Whether a rejection is stored under the mutation id, so that re-sending the same id answers the same
// refusal. Rejections that may succeed later without the phone changing anything are not stored:
// a file not uploaded yet (file_missing), a record it refers to that is not there yet (not_found: e.g. the
// hazard of an accept whose create waits for its photos), a type this server does not know yet
// (unknown_type), a server-side failure (internal_error, unavailable), another user's id (id_conflict).
// Everything else (validation, conflicts, permission) is final for that id: the phone fixes the record and
// sends it under a new id.
bool IsRemembered(std::string_view code);
// The same set, as the `retryable` flag every rejection carries.
inline bool IsRetryable(std::string_view code) { return !IsRemembered(code); }

// ---- conflict rules for hazard actions done offline ----

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

// ---- the change feed's cursor ----

struct ChangeCursor {
    // kSnapshot: the first full download is under way; `watermark` is the change sequence it started
    // at and `list_cursor` the hazard list's cursor. kChanges: everything up to `watermark` was sent.
    enum class Phase { kSnapshot, kChanges };
    Phase phase = Phase::kChanges;
    int64_t watermark = 0;
    std::string list_cursor;
};

std::string EncodeChangeCursor(const ChangeCursor& cursor);
std::optional<ChangeCursor> DecodeChangeCursor(std::string_view text);

}  // namespace safeloop::sync
