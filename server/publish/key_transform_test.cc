#include "publish/key_transform.h"

#include <gtest/gtest.h>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server {
namespace {

// 2020-06-17 15:20 UTC, the embargo example of Google's server API
const int64_t kNow = days_from_civil(2020, 6, 17) * 86400 + 15 * 3600 + 20 * 60;
const uint32_t kToday = static_cast<uint32_t>(days_from_civil(2020, 6, 17) * 144);  // 2653920

TekmacKey key_at(uint32_t start, int64_t period = 144, int64_t risk = 0) {
  Bytes k(16);
  crypto::random_bytes(k);
  return TekmacKey{to_base64(k), start, period, risk};
}

UploadContext confirmed() {
  UploadContext ctx;
  ctx.regions = {"US"};
  ctx.report_type = "confirmed";
  return ctx;
}

TEST(KeyTransform, EmbargoExampleOfTheSpec) {
  EXPECT_EQ(kToday, 2653920u);
  // Still valid at 15:20: released at the first hour after expiry, 2020-06-18 01:00Z.
  EXPECT_EQ(embargoed_created_at(kToday, 144, kNow, 3600, false), (kToday + 144) * 600 + 3600);
  // Already expired: the upload hour, 15:00Z.
  EXPECT_EQ(embargoed_created_at(kToday - 144, 144, kNow, 3600, false), kNow - 20 * 60);
  // Debug release: no embargo.
  EXPECT_EQ(embargoed_created_at(kToday, 144, kNow, 3600, true), kNow - 20 * 60);
}

TEST(KeyTransform, ValidKeysGetReportTypeRiskOnsetAndCreatedAt) {
  UploadContext ctx = confirmed();
  ctx.certificate_onset_interval = kToday - 3 * 144 + 50;  // rounded down to its UTC day
  std::vector<TekmacKey> keys = {key_at(kToday - 5 * 144), key_at(kToday, 144, 7)};
  auto out = transform_upload(keys, ctx, kNow, PublishSettings{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->exposures.size(), 2u);
  EXPECT_TRUE(out->dropped.empty());
  EXPECT_FALSE(out->missing_onset);
  const Exposure& old_key = out->exposures[0];
  EXPECT_EQ(old_key.report_type, "confirmed");
  EXPECT_EQ(old_key.transmission_risk, 2);  // backfilled for confirmed
  EXPECT_EQ(old_key.days_since_onset, -2);
  EXPECT_EQ(old_key.created_at, kNow - 20 * 60);
  EXPECT_EQ(old_key.regions, std::vector<std::string>{"US"});
  EXPECT_EQ(out->exposures[1].transmission_risk, 7);  // given, kept
  EXPECT_EQ(out->exposures[1].days_since_onset, 3);
}

TEST(KeyTransform, RequestOnsetWinsAndImplausibleOnsetFallsBackToFourDaysAgo) {
  UploadContext ctx = confirmed();
  ctx.request_onset_interval = kToday - 144;
  ctx.certificate_onset_interval = kToday - 5 * 144;
  bool missing = true;
  EXPECT_EQ(choose_onset_interval(ctx, kNow, PublishSettings{}, &missing), kToday - 144);
  EXPECT_FALSE(missing);
  ctx.request_onset_interval = kToday + 144;  // future: ignored
  EXPECT_EQ(choose_onset_interval(ctx, kNow, PublishSettings{}, &missing), kToday - 5 * 144);
  ctx.certificate_onset_interval = kToday - 40 * 144;  // older than 28 days
  EXPECT_EQ(choose_onset_interval(ctx, kNow, PublishSettings{}, &missing), kToday - 4 * 144);
  EXPECT_TRUE(missing);
}

TEST(KeyTransform, InvalidKeysAreDroppedWithTheirReason) {
  std::vector<TekmacKey> keys = {
      key_at(kToday - 144),
      {"c2hvcnQ=", kToday - 2 * 144, 144, 0},  // 5 bytes
      key_at(kToday - 3 * 144, 0),             // period 0
      key_at(kToday - 20 * 144),               // too old
      key_at(kToday + 144),                    // future
      key_at(kToday - 4 * 144, 144, 9),        // risk 9
  };
  UploadContext ctx = confirmed();
  ctx.request_onset_interval = kToday - 144;
  auto out = transform_upload(keys, ctx, kNow, PublishSettings{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->exposures.size(), 1u);
  ASSERT_EQ(out->dropped.size(), 5u);
  EXPECT_EQ(out->dropped[0], "key 1: key must be base64 of 16 bytes");
  EXPECT_EQ(out->dropped[1], "key 2: rollingPeriod 0 out of range 1..144");
  EXPECT_NE(out->dropped[2].find("key 3: key is too old"), std::string::npos);
  EXPECT_NE(out->dropped[3].find("key 4: rollingStartNumber"), std::string::npos);
  EXPECT_EQ(out->dropped[4], "key 5: transmissionRisk 9 out of range 0..8");
}

TEST(KeyTransform, KeysFarFromOnsetAreDroppedWithAWarning) {
  UploadContext ctx = confirmed();
  ctx.request_onset_interval = kToday;
  std::vector<TekmacKey> keys = {key_at(kToday - 15 * 144), key_at(kToday - 2 * 144)};
  auto out = transform_upload(keys, ctx, kNow, PublishSettings{});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->exposures.size(), 1u);
  ASSERT_EQ(out->warnings.size(), 1u);
  EXPECT_NE(out->warnings[0].find("key 0 symptom onset is too large"), std::string::npos);
}

TEST(KeyTransform, WholeRequestRejections) {
  UploadContext ctx = confirmed();
  EXPECT_EQ(transform_upload({}, ctx, kNow, PublishSettings{}).error().code, "bad_request");
  std::vector<TekmacKey> many;
  for (int i = 0; i < 31; ++i) many.push_back(key_at(kToday - 144, 1 + i));
  auto too_many = transform_upload(many, ctx, kNow, PublishSettings{});
  EXPECT_NE(too_many.error().message.find("too many exposure keys"), std::string::npos);
  std::vector<TekmacKey> overlap = {key_at(kToday - 144), key_at(kToday - 100, 10)};
  EXPECT_NE(transform_upload(overlap, ctx, kNow, PublishSettings{}).error().message.find("overlap"), std::string::npos);
  std::vector<TekmacKey> same_start = {key_at(kToday - 144, 10), key_at(kToday - 144, 20), key_at(kToday - 144, 30),
                                       key_at(kToday - 144, 40)};
  EXPECT_NE(transform_upload(same_start, ctx, kNow, PublishSettings{}).error().message.find("too many overlapping"),
            std::string::npos);
  same_start.pop_back();  // three keys with one start are allowed
  EXPECT_TRUE(transform_upload(same_start, ctx, kNow, PublishSettings{}).ok());
  std::vector<TekmacKey> all_bad = {key_at(kToday - 144, 0)};
  auto none = transform_upload(all_bad, ctx, kNow, PublishSettings{});
  EXPECT_EQ(none.error().http_status, 400);
  EXPECT_NE(none.error().message.find("no valid exposure keys"), std::string::npos);
}

}  // namespace
}  // namespace exposure::server
