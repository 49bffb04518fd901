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

}  // namespace
}  // namespace safeloop::files
