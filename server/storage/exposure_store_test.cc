// The ExposureStore contract (exposure_store.h) on the test run's backend.
#include "storage/exposure_store.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;

class ExposureStoreTest : public StorageTest {
 protected:
  std::vector<Exposure> find(const std::vector<KeyData>& keys) {
    return read([&](Transaction& tx) { return tx.exposures().find_exposures(keys); });
  }
  std::vector<Exposure> scan(const char* region, int64_t from, int64_t to, bool revised) {
    std::vector<Exposure> seen;
    EXPECT_TRUE(storage_
                    ->read([&](Transaction& tx) {
                      return tx.exposures().scan_exposures(
                          region, from, to, revised, [&](const Exposure& e) { seen.push_back(e); });
                    })
                    .ok());
    return seen;
  }
};

TEST_F(ExposureStoreTest, RoundTripAndScanByRegionAndWindow) {
  Exposure jp = exposure(3600, {"JP"});
  Exposure both = exposure(3600, {"US", "JP"});
  Exposure us_late = exposure(7200, {"US"});
  Exposure jpx = exposure(3600, {"JPX"});  // a region whose name contains another
  jpx.traveler = true;
  jpx.local_provenance = false;
  jpx.transmission_risk = 6;
  jpx.health_authority_id = 7;
  jpx.days_since_onset.reset();
  ASSERT_TRUE(
      write([&](Transaction& tx) {
        return tx.exposures().insert_exposures(std::vector<Exposure>{jp, both, us_late, jpx});
      }).ok());
  // A duplicate key: kAlreadyExists, and the transaction stores nothing of its other keys.
  Exposure fresh = exposure(3600, {"JP"});
  EXPECT_EQ(write([&](Transaction& tx) {
              return tx.exposures().insert_exposures(std::vector<Exposure>{fresh, jp});
            }).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_TRUE(find({fresh.key_data}).empty());
  std::vector<Exposure> seen = scan("JP", 3600, 7200, false);
  ASSERT_EQ(seen.size(), 2u);
  for (const Exposure& e : seen) {
    EXPECT_TRUE(e.key_data == jp.key_data || e.key_data == both.key_data);
    EXPECT_EQ(e.days_since_onset, -3);
    EXPECT_EQ(e.report_type, "confirmed");
    EXPECT_FALSE(e.traveler);
  }
  EXPECT_EQ(scan("US", 3600, 7200, false).size(), 1u);
  EXPECT_EQ(scan("US", 7200, 10800, false).size(), 1u);
  auto stored = find({jpx.key_data, us_late.key_data});
  ASSERT_EQ(stored.size(), 2u);
  const Exposure& x = stored[0].key_data == jpx.key_data ? stored[0] : stored[1];
  EXPECT_TRUE(x.traveler);
  EXPECT_FALSE(x.local_provenance);
  EXPECT_EQ(x.transmission_risk, 6);
  EXPECT_EQ(x.health_authority_id, 7);
  EXPECT_EQ(x.rolling_start, 2650000u);
  EXPECT_EQ(x.rolling_period, 144u);
  EXPECT_FALSE(x.days_since_onset.has_value());
  EXPECT_EQ(x.regions, std::vector<std::string>{"JPX"});
  EXPECT_FALSE(x.revised_at.has_value());
}

TEST_F(ExposureStoreTest, RevisionsAreScannedByRevisionTime) {
  Exposure e = exposure(3600, {"JP"});
  ASSERT_TRUE(write([&](Transaction& tx) {
                return tx.exposures().insert_exposures(std::vector<Exposure>{e});
              }).ok());
  e.revised_report_type = "confirmed";
  e.revised_at = 7200;
  e.revised_days_since_onset = 2;
  e.revised_transmission_risk = 5;
  e.regions = {"JP", "US"};
  ASSERT_TRUE(write([&](Transaction& tx) {
                return tx.exposures().update_revisions(std::vector<Exposure>{e});
              }).ok());
  EXPECT_TRUE(scan("JP", 3600, 7200, true).empty());
  auto revised = scan("US", 7200, 10800, true);
  ASSERT_EQ(revised.size(), 1u);
  EXPECT_EQ(revised[0].revised_report_type, "confirmed");
  EXPECT_EQ(revised[0].revised_days_since_onset, 2);
  EXPECT_EQ(revised[0].revised_transmission_risk, 5);
  EXPECT_EQ(revised[0].created_at, 3600);

  Exposure unknown = exposure(3600, {"JP"});
  EXPECT_EQ(write([&](Transaction& tx) {
              return tx.exposures().update_revisions(std::vector<Exposure>{unknown});
            }).code(),
            ErrorCode::kNotFound);
}

TEST_F(ExposureStoreTest, DeleteBeforeCutoff) {
  Exposure old = exposure(3600, {"JP"});
  Exposure kept = exposure(7200, {"JP"});
  ASSERT_TRUE(write([&](Transaction& tx) {
                return tx.exposures().insert_exposures(std::vector<Exposure>{old, kept});
              }).ok());
  int64_t deleted = 0;
  ASSERT_TRUE(write([&](Transaction& tx) -> Status {
                auto d = tx.exposures().delete_exposures_before(7200);
                if (!d.ok()) return d.status();
                deleted = *d;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_TRUE(find({old.key_data}).empty());
  EXPECT_EQ(find({kept.key_data}).size(), 1u);
}

TEST_F(ExposureStoreTest, IdempotentResultsOncePerKeyUntilDeleted) {
  const IdempotentResult first{random_hash(), 200, "{\"ok\":1}", 1000};
  EXPECT_FALSE(
      read([&](Transaction& tx) { return tx.exposures().find_idempotent_result(first.key_hash); }));
  ASSERT_TRUE(
      write([&](Transaction& tx) { return tx.exposures().insert_idempotent_result(first); }).ok());
  EXPECT_EQ(
      write([&](Transaction& tx) { return tx.exposures().insert_idempotent_result(first); }).code(),
      ErrorCode::kAlreadyExists);
  auto found =
      read([&](Transaction& tx) { return tx.exposures().find_idempotent_result(first.key_hash); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->http_status, 200);
  EXPECT_EQ(found->body, first.body);
  EXPECT_EQ(found->created_at, 1000);
  ASSERT_TRUE(write([](Transaction& tx) -> Status {
                auto d = tx.exposures().delete_idempotent_results_before(1000);
                return d.ok() ? Status::Ok() : d.status();
              }).ok());
  EXPECT_TRUE(
      read([&](Transaction& tx) { return tx.exposures().find_idempotent_result(first.key_hash); }));
  ASSERT_TRUE(write([](Transaction& tx) -> Status {
                auto d = tx.exposures().delete_idempotent_results_before(1001);
                if (!d.ok()) return d.status();
                return *d == 1 ? Status::Ok()
                               : Status(ErrorCode::kInternal, "deleted " + std::to_string(*d));
              }).ok());
  EXPECT_FALSE(
      read([&](Transaction& tx) { return tx.exposures().find_idempotent_result(first.key_hash); }));
}

TEST_F(ExposureStoreTest, ConcurrentUploadsOfTheSameKeysStoreThemOnce) {
  // Each transaction looks the keys up and inserts them when absent, as a publish does:
  // later ones must see the first one's keys instead of failing on the duplicate.
  std::vector<Exposure> upload;
  for (int i = 0; i < 14; ++i) upload.push_back(exposure(3600, {"JP"}));
  std::vector<KeyData> keys;
  for (const Exposure& e : upload) keys.push_back(e.key_data);
  std::atomic<int> inserted{0}, found_stored{0};
  concurrently(6, [&](Storage& s, int) {
    int found = 0;
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto existing = tx.exposures().find_exposures(keys);
      if (!existing.ok()) return existing.status();
      found = static_cast<int>(existing->size());
      return existing->empty() ? tx.exposures().insert_exposures(upload) : Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (found == 0) ++inserted;
    if (found == 14) ++found_stored;
  });
  EXPECT_EQ(inserted, 1);
  EXPECT_EQ(found_stored, 5);
  EXPECT_EQ(find(keys).size(), 14u);
}

TEST_F(ExposureStoreTest, ConcurrentRepeatsOfOneRequestStoreOneReply) {
  const Hash key = random_hash();
  std::atomic<int> stored{0}, replayed{0};
  concurrently(4, [&](Storage& s, int i) {
    bool replay = false;
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto found = tx.exposures().find_idempotent_result(key);
      if (!found.ok()) return found.status();
      replay = found->has_value();
      if (replay) return Status::Ok();
      return tx.exposures().insert_idempotent_result(
          IdempotentResult{key, 200, std::to_string(i), 5});
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (st.ok()) ++(replay ? replayed : stored);
  });
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(replayed, 3);
}

}  // namespace
}  // namespace exposure::server
