// tekmac vectors of Google's server API (the reference server's utils_test.go).
#include "publish/tekmac.h"

#include <gtest/gtest.h>

namespace exposure::server {
namespace {

Bytes secret() {
  Bytes s;
  for (uint8_t i = 1; i <= 16; ++i) s.push_back(i);
  return s;
}

std::vector<TekmacKey> keys(int64_t risk_a, int64_t risk_b) {
  return {{"z2Cx9hdz2SlxZ8GEgqTYpA==", 1, 144, risk_a}, {"dPCphLzfG4uzXneNimkPRQ==", 144, 144, risk_b}};
}

TEST(Tekmac, SpecVectorWithTransmissionRisks) {
  auto k = keys(3, 5);
  EXPECT_EQ(tekmac_cleartext(k, true), "dPCphLzfG4uzXneNimkPRQ==.144.144.5,z2Cx9hdz2SlxZ8GEgqTYpA==.1.144.3");
  EXPECT_EQ(to_base64(compute_tekmac(k, secret(), true)), "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY=");
  EXPECT_TRUE(tekmac_matches(k, secret(), "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY="));
}

TEST(Tekmac, SpecVectorWithZeroRisksAndThreePartForm) {
  auto k = keys(0, 0);
  EXPECT_EQ(tekmac_cleartext(k, true), "dPCphLzfG4uzXneNimkPRQ==.144.144.0,z2Cx9hdz2SlxZ8GEgqTYpA==.1.144.0");
  EXPECT_EQ(to_base64(compute_tekmac(k, secret(), true)), "mFNI9zhTA17n4ndd1Vu5tsn4XQX0gPrIKyjeh/9noUE=");
  EXPECT_EQ(tekmac_cleartext(k, false), "dPCphLzfG4uzXneNimkPRQ==.144.144,z2Cx9hdz2SlxZ8GEgqTYpA==.1.144");
  EXPECT_EQ(to_base64(compute_tekmac(k, secret(), false)), "J9S7xVebH/66dm14wGsIcAnSUR3PHD4NtDQEOGZbDUo=");
  // With every risk 0 both forms are accepted; the URL-safe unpadded spelling too.
  EXPECT_TRUE(tekmac_matches(k, secret(), "mFNI9zhTA17n4ndd1Vu5tsn4XQX0gPrIKyjeh/9noUE="));
  EXPECT_TRUE(tekmac_matches(k, secret(), "J9S7xVebH/66dm14wGsIcAnSUR3PHD4NtDQEOGZbDUo="));
  EXPECT_TRUE(tekmac_matches(k, secret(), "J9S7xVebH_66dm14wGsIcAnSUR3PHD4NtDQEOGZbDUo"));
}

TEST(Tekmac, ThreePartFormOnlyWhenAllRisksAreZero) {
  auto k = keys(3, 5);
  auto three_part = compute_tekmac(k, secret(), false);
  EXPECT_FALSE(tekmac_matches(k, secret(), to_base64(three_part)));
}

TEST(Tekmac, RejectsOtherKeysSecretsAndGarbage) {
  auto k = keys(3, 5);
  const std::string good = "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY=";
  auto other = k;
  other[0].rolling_start_number = 2;
  EXPECT_FALSE(tekmac_matches(other, secret(), good));
  Bytes wrong = secret();
  wrong[0] ^= 1;
  EXPECT_FALSE(tekmac_matches(k, wrong, good));
  EXPECT_FALSE(tekmac_matches(k, secret(), "not base64!"));
  EXPECT_FALSE(tekmac_matches(k, secret(), ""));
}

TEST(Tekmac, SortsByTheBase64TextNotTheBytes) {
  // '+' < '/' < digits < '=' < 'A' < 'a' in ASCII.
  std::vector<TekmacKey> k = {{"a", 1, 1, 0}, {"A", 1, 1, 0}, {"0", 1, 1, 0}, {"+", 1, 1, 0}, {"/", 1, 1, 0}};
  EXPECT_EQ(tekmac_cleartext(k, false), "+.1.1,/.1.1,0.1.1,A.1.1,a.1.1");
}

}  // namespace
}  // namespace exposure::server
