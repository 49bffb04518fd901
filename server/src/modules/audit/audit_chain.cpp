#include "modules/audit/audit_chain.hpp"

#include "core/crypto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace safeloop::audit {

namespace {
// Bumped if the serialisation ever changes, so old and new entries can never collide.
constexpr std::string_view kFormatTag = "safeloop.audit.v1";
}  // namespace

std::string CanonicalSerialization(const ChainRecord& record) {
    boost::json::array fields;
    fields.reserve(11);
    fields.emplace_back(kFormatTag);
    fields.emplace_back(record.tenant_id);
    fields.emplace_back(record.chain_index);
    fields.emplace_back(record.at_ms);
    if (record.actor_id) {
        fields.emplace_back(*record.actor_id);
    } else {
        fields.emplace_back(nullptr);
    }
    fields.emplace_back(record.request_id);
    fields.emplace_back(record.action);
    fields.emplace_back(record.entity_type);
    fields.emplace_back(record.entity_id);
    // The stored JSON texts, as strings: the hash covers the exact bytes kept in the table.
    fields.emplace_back(record.before_json);
    fields.emplace_back(record.after_json);
    return boost::json::serialize(fields);
}

std::string LinkHash(std::string_view prev_hash, const ChainRecord& record) {
    std::string input(prev_hash);
    input += CanonicalSerialization(record);
    return Sha256Hex(input);
}

std::optional<ChainProblem> ChainVerifier::Feed(const StoredEntry& entry) {
    const int64_t index = entry.record.chain_index;
    const int64_t expected = last_index_ + 1;
    if (entry.record.tenant_id != tenant_id_) {
        return ChainProblem{index, "entry belongs to another tenant's chain"};
    }
    if (index != expected) {
        if (index > expected) {
            return ChainProblem{expected, "entries " + std::to_string(expected) + ".." + std::to_string(index - 1) +
                                              " are missing (deleted)"};
        }
        return ChainProblem{index, "entry " + std::to_string(index) + " is out of order"};
    }
    if (verified_ > 0 && entry.seq <= last_seq_) {
        return ChainProblem{index, "entry " + std::to_string(index) + " was not appended after entry " +
                                       std::to_string(last_index_) + " (rows reordered)"};
    }
    if (LinkHash(entry.prev_hash, entry.record) != entry.hash) {
        return ChainProblem{index, "entry " + std::to_string(index) + " was altered (its hash does not match)"};
    }
    if (entry.prev_hash != last_hash_) {
        return ChainProblem{index, "entry " + std::to_string(index) +
                                       " does not link to the entry before it (entries replaced or reordered)"};
    }
    last_hash_ = entry.hash;
    last_index_ = index;
    last_seq_ = entry.seq;
    ++verified_;
    return std::nullopt;
}

std::optional<ChainProblem> ChainVerifier::Finish(const std::optional<ChainHead>& head) const {
    if (!head) {
        if (verified_ == 0) return std::nullopt;
        return ChainProblem{last_index_, "the chain head is missing"};
    }
    if (head->last_index != last_index_) {
        if (head->last_index > last_index_) {
            return ChainProblem{last_index_ + 1, "entries " + std::to_string(last_index_ + 1) + ".." +
                                                     std::to_string(head->last_index) +
                                                     " are missing from the end of the chain (deleted)"};
        }
        return ChainProblem{head->last_index, "the chain head names entry " + std::to_string(head->last_index) +
                                                  " but the chain ends at " + std::to_string(last_index_)};
    }
    if (head->last_hash != last_hash_) {
        return ChainProblem{last_index_, "the chain head's hash does not match the last entry"};
    }
    return std::nullopt;
}

}  // namespace safeloop::audit
