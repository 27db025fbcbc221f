// The ExportStore contract (export_store.h) on the test run's backend.
#include "storage/export_store.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;
using ExportStoreTest = StorageTest;

DiagnosisKey padding_key(uint8_t first_byte) {
  DiagnosisKey k;
  crypto::random_bytes(k.key_data);
  k.key_data[0] = first_byte;
  k.rolling_start_interval_number = 2650000;
  k.rolling_period = 144;
  k.transmission_risk_level = 4;
  k.report_type = ReportType::kConfirmedTest;
  k.days_since_onset_of_symptoms = first_byte % 2 ? std::optional<int32_t>(-2) : std::nullopt;
  return k;
}

TEST_F(ExportStoreTest, PaddingIsKeptPerBatchInOrder) {
  EXPECT_TRUE(
      read([](Transaction& tx) { return tx.exports().padding_keys("JP", 0, 3600); }).empty());
  const std::vector<DiagnosisKey> keys = {padding_key(3), padding_key(1), padding_key(2)};
  ASSERT_TRUE(write([&](Transaction& tx) {
                return tx.exports().insert_padding_keys("JP", 0, 3600, keys);
              }).ok());
  auto stored = read([](Transaction& tx) { return tx.exports().padding_keys("JP", 0, 3600); });
  ASSERT_EQ(stored.size(), 3u);
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(stored[i].key_data, keys[i].key_data);
    EXPECT_EQ(stored[i].rolling_start_interval_number, keys[i].rolling_start_interval_number);
    EXPECT_EQ(stored[i].rolling_period, keys[i].rolling_period);
    EXPECT_EQ(stored[i].transmission_risk_level, keys[i].transmission_risk_level);
    EXPECT_EQ(stored[i].report_type, keys[i].report_type);
    EXPECT_EQ(stored[i].days_since_onset_of_symptoms, keys[i].days_since_onset_of_symptoms);
  }
  EXPECT_TRUE(
      read([](Transaction& tx) { return tx.exports().padding_keys("JP", 3600, 7200); }).empty());
  EXPECT_TRUE(
      read([](Transaction& tx) { return tx.exports().padding_keys("US", 0, 3600); }).empty());
}

TEST_F(ExportStoreTest, ProgressPerRegion) {
  EXPECT_FALSE(
      read([](Transaction& tx) { return tx.exports().last_export_end("JP"); }).has_value());
  ASSERT_TRUE(write([](Transaction& tx) -> Status {
                EXPOSURE_RETURN_IF_ERROR(tx.exports().set_last_export_end("US", 3600));
                EXPOSURE_RETURN_IF_ERROR(tx.exports().set_last_export_end("JP", 3600));
                return tx.exports().set_last_export_end("JP", 7200);
              }).ok());
  EXPECT_EQ(read([](Transaction& tx) { return tx.exports().last_export_end("JP"); }),
            std::optional<int64_t>(7200));
  using Progress = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(read([](Transaction& tx) { return tx.exports().list_export_progress(); }),
            (Progress{{"JP", 7200}, {"US", 3600}}));
}

TEST_F(ExportStoreTest, FilesAreReplacedByNameAndDeletedWithTheirPadding) {
  ASSERT_TRUE(
      write([](Transaction& tx) -> Status {
        EXPOSURE_RETURN_IF_ERROR(tx.exports().upsert_export_files(std::vector<ExportFile>{
            {"JP", "JP/b.zip", 3600, 7200, 1, 6, 200}, {"JP", "JP/a.zip", 0, 3600, 1, 5, 100}}));
        EXPOSURE_RETURN_IF_ERROR(tx.exports().insert_padding_keys(
            "JP", 0, 3600, std::vector<DiagnosisKey>{padding_key(1)}));
        EXPOSURE_RETURN_IF_ERROR(tx.exports().insert_padding_keys(
            "JP", 3600, 7200, std::vector<DiagnosisKey>{padding_key(2)}));
        // A rewrite of b.zip replaces its row.
        return tx.exports().upsert_export_files(
            std::vector<ExportFile>{{"JP", "JP/b.zip", 3600, 7200, 1, 8, 250}});
      }).ok());
  auto files = read([](Transaction& tx) { return tx.exports().list_export_files(); });
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "JP/a.zip");
  EXPECT_EQ(files[1].size, 250);
  EXPECT_EQ(files[1].created_at, 8);

  std::vector<ExportFile> doomed;
  ASSERT_TRUE(write([&](Transaction& tx) -> Status {
                auto d = tx.exports().delete_export_files_before(7000);
                if (!d.ok()) return d.status();
                doomed = *d;
                return Status::Ok();
              }).ok());
  ASSERT_EQ(doomed.size(), 1u);
  EXPECT_EQ(doomed[0].name, "JP/a.zip");
  EXPECT_EQ(doomed[0].batch_end, 3600);
  files = read([](Transaction& tx) { return tx.exports().list_export_files(); });
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "JP/b.zip");
  EXPECT_TRUE(
      read([](Transaction& tx) { return tx.exports().padding_keys("JP", 0, 3600); }).empty());
  EXPECT_EQ(
      read([](Transaction& tx) { return tx.exports().padding_keys("JP", 3600, 7200); }).size(), 1u);
}

TEST_F(ExportStoreTest, ConcurrentPassesPadABatchOnce) {
  // Each transaction reads the batch's padding and draws it when absent, as the exporter does.
  std::atomic<int> drew{0};
  concurrently(4, [&](Storage& s, int i) {
    bool drawn = false;
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto existing = tx.exports().padding_keys("JP", 0, 3600);
      if (!existing.ok()) return existing.status();
      drawn = existing->empty();
      if (!drawn) return Status::Ok();
      return tx.exports().insert_padding_keys(
          "JP", 0, 3600, std::vector<DiagnosisKey>{padding_key(static_cast<uint8_t>(i))});
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (drawn && st.ok()) ++drew;
  });
  EXPECT_EQ(drew, 1);
  EXPECT_EQ(read([](Transaction& tx) { return tx.exports().padding_keys("JP", 0, 3600); }).size(),
            1u);
}

}  // namespace
}  // namespace exposure::server
