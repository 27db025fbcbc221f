#include "publish/revision_token.h"

#include <gtest/gtest.h>

#include "exposure/crypto.h"

namespace exposure::server {
namespace {

SecretArray<32> random_key() {
  SecretArray<32> k;
  crypto::random_bytes(MutableByteView(k.data(), k.size()));
  return k;
}

std::vector<RevisableKey> some_keys(int n) {
  std::vector<RevisableKey> keys(n);
  for (int i = 0; i < n; ++i) {
    crypto::random_bytes(keys[i].key);
    keys[i].interval_number = 2650000 + 144 * i;
    keys[i].interval_count = 144;
  }
  return keys;
}

TEST(RevisionToken, RoundTripsAndDropsPadding) {
  auto key = random_key();
  auto keys = some_keys(3);
  std::string token = seal_revision_token(keys, key, "aad");
  auto opened = open_revision_token(token, key, "aad");
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, keys);
}

TEST(RevisionToken, SizeDoesNotRevealTheKeyCountUpTo28) {
  auto key = random_key();
  size_t one = seal_revision_token(some_keys(1), key, "aad").size();
  size_t many = seal_revision_token(some_keys(20), key, "aad").size();
  EXPECT_EQ(one, many);
  EXPECT_EQ(one, seal_revision_token({}, key, "aad").size());
}

TEST(RevisionToken, RejectsTamperingOtherKeysOtherAadAndGarbage) {
  auto key = random_key();
  std::string token = seal_revision_token(some_keys(2), key, "aad");
  EXPECT_EQ(open_revision_token(token, random_key(), "aad").status().code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(open_revision_token(token, key, "other").status().code(), ErrorCode::kVerificationFailed);
  auto bytes = *from_base64(token);
  bytes[bytes.size() - 5] ^= 1;
  EXPECT_FALSE(open_revision_token(to_base64(bytes), key, "aad").ok());
  EXPECT_EQ(open_revision_token("%%%", key, "aad").status().code(), ErrorCode::kMalformed);
  EXPECT_FALSE(open_revision_token(to_base64(Bytes{0x0a, 0x01, '1', 0x12, 0x02, 0, 0}), key, "aad").ok());
  EXPECT_FALSE(open_revision_token("", key, "aad").ok());
}

}  // namespace
}  // namespace exposure::server
