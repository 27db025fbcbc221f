// Downloads over real loopback HTTP: each outcome is classified for the metrics.
#include "federation/partner_fetch.h"

#include <gtest/gtest.h>

#include "tests/fake_partner.h"

namespace exposure::server {
namespace {

using testing::FakePartner;
using testing::SilentPartner;

PartnerUrl url_of(const std::string& url) {
  auto parsed = partner_url(url);
  EXPECT_TRUE(parsed.ok()) << url;
  return parsed.ok() ? *parsed : PartnerUrl{};
}

TEST(PartnerFetch, GetsTheBodyOfAFile) {
  FakePartner partner;
  partner.put("JP/index.txt", "JP/a.zip\n");
  Fetched f = fetch_from_partner(url_of(partner.url()), "JP/index.txt", FetchOptions{});
  ASSERT_TRUE(f.status.ok()) << f.status.to_string();
  EXPECT_EQ(f.failure, FetchFailure::kNone);
  EXPECT_EQ(std::string(f.body.begin(), f.body.end()), "JP/a.zip\n");
}

TEST(PartnerFetch, AMissingFileIsNotFound) {
  FakePartner partner;
  Fetched f = fetch_from_partner(url_of(partner.url()), "JP/none.zip", FetchOptions{});
  EXPECT_EQ(f.failure, FetchFailure::kNotFound);
  EXPECT_EQ(f.status.code(), ErrorCode::kNotFound);
  EXPECT_EQ(f.status.message(), "GET /tree/JP/none.zip: HTTP 404 (no such file)");
}

TEST(PartnerFetch, ABodyOverTheCapIsRefused) {
  FakePartner partner;
  partner.put("JP/big.zip", std::string(5000, 'x'));
  Fetched f = fetch_from_partner(url_of(partner.url()), "JP/big.zip", FetchOptions{30000, 4096});
  EXPECT_EQ(f.failure, FetchFailure::kTooLarge);
  EXPECT_EQ(f.status.code(), ErrorCode::kResourceExhausted);
}

TEST(PartnerFetch, APartnerThatNeverAnswersTimesOut) {
  SilentPartner silent;
  Fetched f = fetch_from_partner(url_of(silent.url()), "JP/index.txt", FetchOptions{300, 1024});
  EXPECT_EQ(f.failure, FetchFailure::kTimeout) << f.status.to_string();
  EXPECT_EQ(f.status.message(), "GET /tree/JP/index.txt: timed out after 300ms");
}

TEST(PartnerFetch, APartnerThatIsDownIsUnreachable) {
  std::string url;
  {
    SilentPartner gone;  // its port is closed again when it goes
    url = gone.url();
  }
  Fetched f = fetch_from_partner(url_of(url), "JP/index.txt", FetchOptions{2000, 1024});
  EXPECT_EQ(f.failure, FetchFailure::kUnreachable) << f.status.to_string();
  EXPECT_EQ(f.status.code(), ErrorCode::kUnavailable);
}

TEST(PartnerFetch, FailureNamesForTheMetrics) {
  EXPECT_STREQ(fetch_failure_name(FetchFailure::kTimeout), "timeout");
  EXPECT_STREQ(fetch_failure_name(FetchFailure::kUnreachable), "unreachable");
  EXPECT_STREQ(fetch_failure_name(FetchFailure::kNone), "");
}

}  // namespace
}  // namespace exposure::server
