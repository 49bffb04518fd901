#include "modules/audit/audit_chain.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace safeloop::audit {
namespace {

ChainRecord Record(int64_t index, std::string action) {
    ChainRecord r;
    r.tenant_id = "t1";
    r.chain_index = index;
    r.at_ms = 1'780'000'000'000 + index;
    r.actor_id = "u1";
    r.request_id = "req-" + std::to_string(index);
    r.action = std::move(action);
    r.entity_type = "hazard";
    r.entity_id = "h-" + std::to_string(index);
    r.after_json = R"({"status":"reported"})";
    return r;
}

// A well-formed chain of n entries.
std::vector<StoredEntry> Chain(int n) {
    std::vector<StoredEntry> out;
    std::string prev(kGenesisHash);
    for (int i = 1; i <= n; ++i) {
        StoredEntry e;
        e.seq = static_cast<int64_t>(i) * 10;
        e.record = Record(i, "hazard.create");
        e.prev_hash = prev;
        e.hash = LinkHash(prev, e.record);
        prev = e.hash;
        out.push_back(e);
    }
    return out;
}

std::optional<ChainProblem> VerifyAll(const std::vector<StoredEntry>& entries, const std::optional<ChainHead>& head) {
    ChainVerifier verifier("t1");
    for (const auto& e : entries) {
        if (auto problem = verifier.Feed(e)) return problem;
    }
    return verifier.Finish(head);
}

ChainHead HeadOf(const std::vector<StoredEntry>& entries) {
    return ChainHead{entries.back().record.chain_index, entries.back().hash};
}

TEST(AuditChain, HashIsHexSha256AndDeterministic) {
    const auto h = LinkHash(kGenesisHash, Record(1, "x"));
    EXPECT_EQ(h.size(), 64u);
    EXPECT_EQ(h, LinkHash(kGenesisHash, Record(1, "x")));
    EXPECT_NE(h, LinkHash(kGenesisHash, Record(1, "y")));
}

TEST(AuditChain, HashDependsOnPreviousHash) {
    const std::string other(64, '1');
    EXPECT_NE(LinkHash(kGenesisHash, Record(1, "x")), LinkHash(other, Record(1, "x")));
}

TEST(AuditChain, FieldBoundariesCannotShift) {
    // Moving characters from one field to its neighbour must change the serialisation.
    ChainRecord a = Record(1, "x");
    a.entity_type = "ab";
    a.entity_id = "c";
    ChainRecord b = a;
    b.entity_type = "a";
    b.entity_id = "bc";
    EXPECT_NE(CanonicalSerialization(a), CanonicalSerialization(b));
    // A quote or separator inside a field is escaped, not taken as structure.
    ChainRecord c = a;
    c.entity_type = R"(ab",")";
    c.entity_id = "";
    ChainRecord d = a;
    d.entity_type = "ab";
    d.entity_id = R"(",")";
    EXPECT_NE(CanonicalSerialization(c), CanonicalSerialization(d));
}

TEST(AuditChain, AbsentActorDiffersFromEmptyActor) {
    ChainRecord a = Record(1, "x");
    a.actor_id.reset();
    ChainRecord b = Record(1, "x");
    b.actor_id = "";
    EXPECT_NE(CanonicalSerialization(a), CanonicalSerialization(b));
}

TEST(AuditChain, TimeIsIntegerMillis) {
    EXPECT_NE(CanonicalSerialization(Record(1, "x")).find("1780000000001"), std::string::npos);
}

TEST(AuditChain, IntactChainVerifies) {
    auto chain = Chain(5);
    EXPECT_FALSE(VerifyAll(chain, HeadOf(chain)).has_value());
    EXPECT_FALSE(VerifyAll({}, std::nullopt).has_value());
}

TEST(AuditChain, EditedFieldIsDetected) {
    auto chain = Chain(5);
    chain[2].record.after_json = R"({"status":"closed"})";
    auto problem = VerifyAll(chain, HeadOf(chain));
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 3);
    EXPECT_NE(problem->message.find("altered"), std::string::npos);
}

TEST(AuditChain, EditedAndRehashedEntryBreaksTheNextLink) {
    auto chain = Chain(5);
    chain[2].record.actor_id = "someone-else";
    chain[2].hash = LinkHash(chain[2].prev_hash, chain[2].record);
    auto problem = VerifyAll(chain, HeadOf(chain));
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 4);
}

TEST(AuditChain, DeletedEntryIsDetected) {
    auto chain = Chain(5);
    chain.erase(chain.begin() + 1);
    auto problem = VerifyAll(chain, HeadOf(chain));
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 2);
    EXPECT_NE(problem->message.find("missing"), std::string::npos);
}

TEST(AuditChain, DeletedAndRenumberedEntryIsDetected) {
    auto chain = Chain(5);
    chain.erase(chain.begin() + 1);
    for (size_t i = 1; i < chain.size(); ++i) chain[i].record.chain_index -= 1;
    auto problem = VerifyAll(chain, ChainHead{4, chain.back().hash});
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 2);
}

TEST(AuditChain, ReorderedRowsAreDetected) {
    auto chain = Chain(5);
    std::swap(chain[1].seq, chain[2].seq);  // rows 2 and 3 stored in the opposite order
    auto problem = VerifyAll(chain, HeadOf(chain));
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 3);
    EXPECT_NE(problem->message.find("reordered"), std::string::npos);
}

TEST(AuditChain, SwappedContentIsDetected) {
    auto chain = Chain(5);
    std::swap(chain[1].record.action, chain[2].record.action);
    chain[1].record.action = "hazard.close";
    ASSERT_TRUE(VerifyAll(chain, HeadOf(chain)));
}

TEST(AuditChain, TruncatedTailIsDetectedByTheHead) {
    auto chain = Chain(5);
    const ChainHead head = HeadOf(chain);
    chain.pop_back();
    auto problem = VerifyAll(chain, head);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->chain_index, 5);
}

TEST(AuditChain, HeadThatDoesNotMatchIsDetected) {
    auto chain = Chain(3);
    EXPECT_TRUE(VerifyAll(chain, ChainHead{3, std::string(64, 'f')}));
    EXPECT_TRUE(VerifyAll(chain, ChainHead{2, chain[1].hash}));
    EXPECT_TRUE(VerifyAll(chain, std::nullopt));
}

TEST(AuditChain, EverythingDeletedButTheHeadIsDetected) {
    auto chain = Chain(3);
    EXPECT_TRUE(VerifyAll({}, HeadOf(chain)));
}

}  // namespace
}  // namespace safeloop::audit
