#include "federation/partner_config.h"

#include <gtest/gtest.h>

#include "tests/fake_partner.h"

namespace exposure::server {
namespace {

TEST(PartnerUrl, SplitsOriginAndPath) {
  auto url = partner_url("HTTPS://partner.example:8443/a/federation/");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(url->origin, "https://partner.example:8443");
  EXPECT_EQ(url->path, "/a/federation");
  auto bare = partner_url("http://127.0.0.1:8080");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, "");
}

TEST(PartnerUrl, RefusesOtherSchemesUserInfoQueriesAndMissingHosts) {
  for (const char* bad :
       {"ftp://x/y", "partner.example/federation", "http:///federation", "http://user:pw@x/f",
        "http://x/f?token=1", "http://x/f#top", "http://x/a b"}) {
    auto url = partner_url(bad);
    EXPECT_EQ(url.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(MakePartner, StoresNormalisedUrlUniqueRegionsAndPemKeys) {
  const testing::TestSigner signer("310", "v1");
  auto p = make_partner("eu-gw", "http://gw.example/federation/", {"DE", "FR", "DE"},
                        {signer.public_key_flag()}, 7);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->url, "http://gw.example/federation");
  EXPECT_EQ(p->regions, (std::vector<std::string>{"DE", "FR"}));
  ASSERT_EQ(p->keys.size(), 1u);
  EXPECT_EQ(p->keys[0].name, "310-v1");
  EXPECT_EQ(p->keys[0].public_key_pem, signer.key.private_key.public_key().pem());
  EXPECT_EQ(p->created_at, 7);
}

TEST(MakePartner, NamesWhatIsWrong) {
  const testing::TestSigner signer("310", "v1");
  const std::string key = signer.public_key_flag();
  struct Case {
    std::string name, url;
    std::vector<std::string> regions, keys;
    std::string message_part;
  } cases[] = {
      {"", "http://x", {"JP"}, {key}, "partner name"},
      {"a b", "http://x", {"JP"}, {key}, "partner name"},
      {"a", "ftp://x", {"JP"}, {key}, "--url"},
      {"a", "http://x", {}, {key}, "--region"},
      {"a", "http://x", {"J/P"}, {key}, "--region"},
      {"a", "http://x", {"JP"}, {}, "--public-key"},
      {"a", "http://x", {"JP"}, {"310-v1=not a key"}, "--public-key"},
      {"a", "http://x", {"JP"}, {"310v1=" + key.substr(key.find('=') + 1)}, "--public-key"},
      {"a", "http://x", {"JP"}, {key, key}, "given twice"},
  };
  for (const Case& c : cases) {
    auto p = make_partner(c.name, c.url, c.regions, c.keys, 0);
    EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument) << c.message_part;
    EXPECT_NE(p.status().message().find(c.message_part), std::string::npos) << p.status().message();
  }
}

}  // namespace
}  // namespace exposure::server
