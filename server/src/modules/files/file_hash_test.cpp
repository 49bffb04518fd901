#include "modules/files/file_hash.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/crypto.hpp"

namespace safeloop::files {
namespace {

TEST(FileHash, KnownDigests) {
    // FIPS 180-2 test vectors.
    EXPECT_EQ(ContentSha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(ContentSha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(ContentSha256Hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(FileHash, AgreesWithTheStreamedHashOfUploads) {
    std::string bytes(3 << 20, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) % 251);
    Sha256Stream stream;
    stream.Update(std::string_view(bytes).substr(0, 1 << 20));
    stream.Update(std::string_view(bytes).substr(1 << 20));
    EXPECT_EQ(ContentSha256Hex(bytes), stream.FinishHex());
    EXPECT_EQ(ContentSha256Hex(bytes), Sha256Hex(bytes));
}

// A resumable upload hashes each chunk as it arrives and keeps the state in its row between requests: whatever the
// chunk boundaries (inside a 64-byte block or on one), saving and restoring at each one gives the one-shot digest.
TEST(FileHash, UploadDigestSurvivesBeingSavedBetweenChunks) {
    std::string bytes(200'003, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) % 256);
    const std::string whole = ContentSha256Hex(bytes);
    for (const size_t chunk : {1UL, 63UL, 64UL, 65UL, 4096UL, 100'000UL, 200'003UL}) {
        std::string saved = UploadDigest().Save();
        for (size_t at = 0; at < bytes.size(); at += chunk) {
            auto digest = UploadDigest::Restore(saved);
            ASSERT_TRUE(digest) << "chunk " << chunk << " at " << at;
            EXPECT_EQ(digest->length(), static_cast<int64_t>(at));
            digest->Update(std::string_view(bytes).substr(at, chunk));
            saved = digest->Save();
        }
        auto last = UploadDigest::Restore(saved);
        ASSERT_TRUE(last);
        EXPECT_EQ(last->length(), 200'003);
        EXPECT_EQ(last->Hex(), whole) << "chunk " << chunk;
    }
}

TEST(FileHash, UploadDigestKnownDigestsAndLayout) {
    UploadDigest digest;
    EXPECT_EQ(digest.Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest.Update("abc");
    // Hex does not finish the digest: the same answer twice, and more bytes may follow.
    EXPECT_EQ(digest.Hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(digest.Hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // Version 1, the initial chaining words (FIPS 180-4 5.3.3: h0 = 0x6a09e667, little-endian here), 24 bits, the
    // 3-byte tail "abc": 1 + 32 + 8 + 1 + 3 bytes.
    const std::string saved = digest.Save();
    ASSERT_EQ(saved.size(), 45U);
    EXPECT_EQ(saved[0], 1);
    EXPECT_EQ(HexEncode(saved.substr(1, 4)), "67e6096a");
    EXPECT_EQ(HexEncode(saved.substr(33, 8)), "1800000000000000");
    EXPECT_EQ(saved.substr(41), std::string(1, '\x03') + "abc");
}

TEST(FileHash, UploadDigestRefusesWhatItDidNotSave) {
    UploadDigest digest;
    digest.Update("abc");
    const std::string saved = digest.Save();
    EXPECT_FALSE(UploadDigest::Restore(""));
    EXPECT_FALSE(UploadDigest::Restore(saved.substr(0, 44)));                    // tail cut short
    EXPECT_FALSE(UploadDigest::Restore(saved + "d"));                            // tail longer than it says
    EXPECT_FALSE(UploadDigest::Restore(std::string("\x02") + saved.substr(1)));  // another version
    std::string wrong_length = saved;
    wrong_length[33] = 32;  // 4 bytes hashed, but a 3-byte tail
    EXPECT_FALSE(UploadDigest::Restore(wrong_length));
    EXPECT_TRUE(UploadDigest::Restore(saved));
}

}  // namespace
}  // namespace safeloop::files
