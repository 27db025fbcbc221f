#include "federation/import_plan.h"

#include <gtest/gtest.h>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server {
namespace {

constexpr int64_t kNow = 1773156000 + 1200;  // 2026-03-10 15:40 UTC

DiagnosisKey key(ReportType type = ReportType::kConfirmedTest, int days_ago = 2) {
  DiagnosisKey k;
  crypto::random_bytes(k.key_data);
  k.rolling_start_interval_number = static_cast<uint32_t>(kNow / 86400 * 144 - days_ago * 144);
  k.transmission_risk_level = 3;
  k.report_type = type;
  k.days_since_onset_of_symptoms = 2;
  return k;
}

Exposure stored(const DiagnosisKey& k, bool local, std::vector<std::string> regions) {
  Exposure e;
  e.key_data = k.key_data;
  e.rolling_start = k.rolling_start_interval_number;
  e.rolling_period = k.rolling_period;
  e.report_type = "confirmed";
  e.regions = std::move(regions);
  e.local_provenance = local;
  e.created_at = kNow - 7200;
  return e;
}

KeyProvenance from(const DiagnosisKey& k, const std::string& partner) {
  return KeyProvenance{k.key_data, partner, "JP/old.zip", "JP", kNow - 7200};
}

const ImportSource kSource{"a", "JP/new.zip", "JP", kNow};

TEST(ImportPlan, NewKeysAreInsertedIntoTheRegionAsNonLocalAndExportedInAWindowNotYetCut) {
  const DiagnosisKey k = key(ReportType::kConfirmedClinicalDiagnosis);
  ImportPlan plan = plan_import({k}, {}, {}, {}, kSource, PublishSettings{});
  ASSERT_EQ(plan.inserts.size(), 1u);
  const Exposure& e = plan.inserts[0];
  EXPECT_EQ(e.key_data, k.key_data);
  EXPECT_EQ(e.rolling_start, k.rolling_start_interval_number);
  EXPECT_EQ(e.transmission_risk, 3);
  EXPECT_EQ(e.report_type, "likely");
  EXPECT_EQ(e.days_since_onset, 2);
  EXPECT_EQ(e.regions, std::vector<std::string>{"JP"});
  EXPECT_FALSE(e.local_provenance);
  EXPECT_EQ(e.created_at, floor_to(kNow, 3600));
  EXPECT_TRUE(plan.updates.empty());
  EXPECT_EQ(plan.duplicates, 0);
}

TEST(ImportPlan, KeysStoredFromUploadsOrOtherPartnersAndRepeatsAreDuplicates) {
  const DiagnosisKey uploaded = key(), other = key(), fresh = key();
  ImportPlan plan = plan_import({uploaded, other, fresh, fresh}, {},
                                {stored(uploaded, true, {"JP"}), stored(other, false, {"US"})},
                                {from(other, "b")}, kSource, PublishSettings{});
  ASSERT_EQ(plan.inserts.size(), 1u);
  EXPECT_EQ(plan.inserts[0].key_data, fresh.key_data);
  EXPECT_TRUE(plan.updates.empty());
  EXPECT_EQ(plan.duplicates, 3);
}

TEST(ImportPlan, AKeyOfThePartnerListedUnderAnotherRegionGainsIt) {
  const DiagnosisKey k = key();
  ImportPlan plan =
      plan_import({k}, {}, {stored(k, false, {"US"})}, {from(k, "a")}, kSource, PublishSettings{});
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_EQ(plan.updates[0].regions, (std::vector<std::string>{"US", "JP"}));
  EXPECT_TRUE(plan.inserts.empty());
  ImportPlan again = plan_import({k}, {}, {stored(k, false, {"US", "JP"})}, {from(k, "a")}, kSource,
                                 PublishSettings{});
  EXPECT_TRUE(again.updates.empty());
  EXPECT_EQ(again.duplicates, 1);
}

TEST(ImportPlan, ARevisedKeyOfThePartnerRevisesTheStoredKeyOnce) {
  const DiagnosisKey k = key();
  DiagnosisKey revoked = k;
  revoked.report_type = ReportType::kRevoked;
  revoked.transmission_risk_level = 6;
  ImportPlan plan = plan_import({}, {revoked}, {stored(k, false, {"JP"})}, {from(k, "a")}, kSource,
                                PublishSettings{});
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_EQ(plan.updates[0].revised_report_type, "negative");
  EXPECT_EQ(plan.updates[0].revised_at, floor_to(kNow, 3600));
  EXPECT_EQ(plan.updates[0].revised_transmission_risk, 6);

  Exposure already = stored(k, false, {"JP"});
  already.revised_report_type = "negative";
  already.revised_at = kNow - 3600;
  ImportPlan twice =
      plan_import({}, {revoked}, {already}, {from(k, "a")}, kSource, PublishSettings{});
  EXPECT_TRUE(twice.updates.empty());
  EXPECT_EQ(twice.duplicates, 1);
}

TEST(ImportPlan, RevisionsOfKeysOfOtherOriginsAreIgnored) {
  const DiagnosisKey local = key(), other = key();
  DiagnosisKey r1 = local, r2 = other;
  r1.report_type = r2.report_type = ReportType::kRevoked;
  ImportPlan plan =
      plan_import({}, {r1, r2}, {stored(local, true, {"JP"}), stored(other, false, {"JP"})},
                  {from(other, "b")}, kSource, PublishSettings{});
  EXPECT_TRUE(plan.updates.empty());
  EXPECT_TRUE(plan.inserts.empty());
  EXPECT_EQ(plan.duplicates, 2);
}

TEST(ImportPlan, ARevisedKeyNotStoredIsInsertedWithItsRevisedValues) {
  const DiagnosisKey k = key(ReportType::kRevoked);
  ImportPlan plan = plan_import({}, {k}, {}, {}, kSource, PublishSettings{});
  ASSERT_EQ(plan.inserts.size(), 1u);
  EXPECT_EQ(plan.inserts[0].report_type, "negative");
  EXPECT_FALSE(plan.inserts[0].revised_at.has_value());
}

TEST(ImportPlan, AKeyAndItsRevisionInOneFileGiveOneRevisedInsert) {
  const DiagnosisKey k = key(ReportType::kConfirmedClinicalDiagnosis);
  DiagnosisKey confirmed = k;
  confirmed.report_type = ReportType::kConfirmedTest;
  ImportPlan plan = plan_import({k}, {confirmed}, {}, {}, kSource, PublishSettings{});
  ASSERT_EQ(plan.inserts.size(), 1u);
  EXPECT_EQ(plan.inserts[0].report_type, "likely");
  EXPECT_EQ(plan.inserts[0].revised_report_type, "confirmed");
}

TEST(ImportPlan, KeysAnUploadWouldRefuseForTheirAgeAreRefused) {
  DiagnosisKey old = key(ReportType::kConfirmedTest, 20),
               future = key(ReportType::kConfirmedTest, -2);
  ImportPlan plan = plan_import({old, future}, {}, {}, {}, kSource, PublishSettings{});
  EXPECT_TRUE(plan.inserts.empty());
  EXPECT_EQ(plan.refused, 2);
}

TEST(ImportPlan, KeysOfEveryListAreLookedUp) {
  const DiagnosisKey a = key(), b = key();
  EXPECT_EQ(keys_of({a}, {b}), (std::vector<KeyData>{a.key_data, b.key_data}));
}

}  // namespace
}  // namespace exposure::server
