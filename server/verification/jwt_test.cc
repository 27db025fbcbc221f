#include "verification/jwt.h"

#include <gtest/gtest.h>

#include "common/text.h"

namespace exposure::server {
namespace {

TEST(Jwt, SignsAndVerifiesEs256) {
  auto key = crypto::EcPrivateKey::generate();
  std::string token = sign_jwt({{"iss", "me"}, {"exp", 2000}}, "v1", key);
  auto jwt = parse_jwt(token);
  ASSERT_TRUE(jwt.ok()) << jwt.status().to_string();
  EXPECT_EQ(string_claim(jwt->header, "kid"), "v1");
  EXPECT_EQ(string_claim(jwt->header, "alg"), "ES256");
  EXPECT_EQ(jwt->raw_signature.size(), 64u);
  EXPECT_TRUE(verify_es256(*jwt, key.public_key()));
  EXPECT_FALSE(verify_es256(*jwt, crypto::EcPrivateKey::generate().public_key()));
}

TEST(Jwt, TamperedClaimsOrAlgorithmFail) {
  auto key = crypto::EcPrivateKey::generate();
  std::string token = sign_jwt({{"reportType", "likely"}}, "v1", key);
  size_t dot = token.find('.');
  std::string forged = token.substr(0, dot + 1) + to_base64url(as_bytes(R"({"reportType":"confirmed"})")) +
                       token.substr(token.rfind('.'));
  auto jwt = parse_jwt(forged);
  ASSERT_TRUE(jwt.ok());
  EXPECT_FALSE(verify_es256(*jwt, key.public_key()));
  std::string none_alg = to_base64url(as_bytes(R"({"alg":"none","kid":"v1"})")) + token.substr(dot);
  auto unsigned_jwt = parse_jwt(none_alg);
  ASSERT_TRUE(unsigned_jwt.ok());
  EXPECT_FALSE(verify_es256(*unsigned_jwt, key.public_key()));
}

TEST(Jwt, MalformedTokensAreRejected) {
  for (const char* bad : {"", "a.b", "a.b.c.d", "..", "a..c", "!!.e30.e30", "e30.bm90IGpzb24.e30", "W10.e30.e30"}) {
    EXPECT_FALSE(parse_jwt(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_jwt(std::string(kMaxJwtLength + 1, 'a')).ok());
}

TEST(Jwt, TimeClaimsWithoutLeeway) {
  EXPECT_TRUE(check_jwt_times({{"exp", 100}, {"iat", 50}, {"nbf", 50}}, 100).ok());
  EXPECT_FALSE(check_jwt_times({{"exp", 99}}, 100).ok());
  EXPECT_FALSE(check_jwt_times({{"iat", 101}}, 100).ok());
  EXPECT_FALSE(check_jwt_times({{"nbf", 100.5}}, 100).ok());
  EXPECT_FALSE(check_jwt_times({{"exp", "soon"}}, 100).ok());
  EXPECT_TRUE(check_jwt_times(nlohmann::json::object(), 100).ok());
}

}  // namespace
}  // namespace exposure::server
