#pragma once

// The offline sync's pure rules (no I/O): the shape and limits of a batch, which rejections are
// remembered under their mutation id, and the change feed's cursor. See docs/sync.md. (The conflict rules of a
// feature's actions done offline are the feature's own, e.g. modules/hazards/hazard_sync_rules.hpp.)

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

// ---- the change feed's cursor ----

struct ChangeCursor {
    // kSnapshot: the first full download is under way; `watermark` is the change sequence it started
    // at, `feed` the registered change feed being paged (in registration order) and `list_cursor` that feed's own
    // cursor. kChanges: everything up to `watermark` was sent.
    enum class Phase { kSnapshot, kChanges };
    Phase phase = Phase::kChanges;
    int64_t watermark = 0;
    std::string list_cursor;
    size_t feed = 0;
};

std::string EncodeChangeCursor(const ChangeCursor& cursor);
// A cursor of three parts (given before the feeds were registered by the features) is still read: a snapshot under
// way starts again from the first feed, under the same watermark.
std::optional<ChangeCursor> DecodeChangeCursor(std::string_view text);

}  // namespace safeloop::sync
