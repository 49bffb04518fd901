#pragma once

// The audit chain's pure rules (no I/O): the canonical serialisation of an entry, the link hash, and a
// verifier that walks one tenant's stored chain and names the first entry that does not hold.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace safeloop::audit {

// The previous hash of a tenant's first entry.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// One entry exactly as stored: before/after are the stored JSON texts, times are Unix milliseconds.
struct ChainRecord {
    std::string tenant_id;
    int64_t chain_index = 0;
    int64_t at_ms = 0;
    std::optional<std::string> actor_id;
    std::string request_id;
    std::string action;
    std::string entity_type;
    std::string entity_id;
    std::string before_json = "null";
    std::string after_json = "null";
};

// A stored row: the record plus its insertion order and its links.
struct StoredEntry {
    int64_t seq = 0;
    ChainRecord record;
    std::string prev_hash;
    std::string hash;
};

struct ChainHead {
    int64_t last_index = 0;
    std::string last_hash;
};

// A JSON array with a version tag and every field in a fixed order (strings escaped, the actor null when
// absent), so no edit can move bytes from one field into another and keep the same serialisation.
std::string CanonicalSerialization(const ChainRecord& record);

// SHA-256 hex of prev_hash followed by the canonical serialisation; prev_hash is always 64 hex digits.
std::string LinkHash(std::string_view prev_hash, const ChainRecord& record);

struct ChainProblem {
    int64_t chain_index = 0;  // the first entry (or, for the head, the index it claims) that does not verify
    std::string message;
};

// Walks one tenant's chain in chain_index order. Detects an edited field (hash mismatch), a deleted entry
// (a gap in chain_index, or a prev_hash that does not link), rows moved out of insertion order, and a head
// that does not name the last entry (entries cut from the end, or the head itself edited).
class ChainVerifier {
public:
    explicit ChainVerifier(std::string tenant_id) : tenant_id_(std::move(tenant_id)) {}

    std::optional<ChainProblem> Feed(const StoredEntry& entry);
    std::optional<ChainProblem> Finish(const std::optional<ChainHead>& head) const;

    int64_t verified() const { return verified_; }
    int64_t last_index() const { return last_index_; }

private:
    std::string tenant_id_;
    int64_t verified_ = 0;
    int64_t last_index_ = 0;
    int64_t last_seq_ = 0;
    std::string last_hash_{kGenesisHash};
};

}  // namespace safeloop::audit
