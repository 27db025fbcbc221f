#include "storage/sqlite/sqlite_storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "exposure/crypto.h"

namespace exposure::server {
namespace {

class SqliteStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/exposure-storage-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto s = open_storage("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    storage_ = std::move(*s);
  }
  void TearDown() override {
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }
  static Exposure exposure(int64_t created_at, std::vector<std::string> regions) {
    Exposure e;
    crypto::random_bytes(e.key_data);
    e.rolling_start = 2650000;
    e.rolling_period = 144;
    e.report_type = "confirmed";
    e.days_since_onset = -3;
    e.regions = std::move(regions);
    e.created_at = created_at;
    return e;
  }
  std::string dir_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(SqliteStorageTest, FailedTransactionStoresNothing) {
  Exposure a = exposure(3600, {"JP"});
  Status st = storage_->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.insert_exposures(std::vector<Exposure>{a}));
    return Status(ErrorCode::kFailedPrecondition, "abort");
  });
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  std::vector<Exposure> found;
  ASSERT_TRUE(storage_->read([&](Transaction& tx) -> Status {
    auto f = tx.find_exposures(std::vector<KeyData>{a.key_data});
    if (!f.ok()) return f.status();
    found = *f;
    return Status::Ok();
  }).ok());
  EXPECT_TRUE(found.empty());
}

TEST_F(SqliteStorageTest, ExposuresRoundTripAndScanByRegionAndWindow) {
  Exposure jp = exposure(3600, {"JP"});
  Exposure both = exposure(3600, {"US", "JP"});
  Exposure us_late = exposure(7200, {"US"});
  Exposure jpx = exposure(3600, {"JPX"});  // a region whose name contains another
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) {
    return tx.insert_exposures(std::vector<Exposure>{jp, both, us_late, jpx});
  }).ok());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) { return tx.insert_exposures(std::vector<Exposure>{jp}); }).code(),
            ErrorCode::kAlreadyExists);
  std::vector<Exposure> seen;
  ASSERT_TRUE(storage_->read([&](Transaction& tx) {
    return tx.scan_exposures("JP", 3600, 7200, false, [&](const Exposure& e) { seen.push_back(e); });
  }).ok());
  ASSERT_EQ(seen.size(), 2u);
  for (const Exposure& e : seen) {
    EXPECT_TRUE(e.key_data == jp.key_data || e.key_data == both.key_data);
    EXPECT_EQ(e.days_since_onset, -3);
    EXPECT_EQ(e.report_type, "confirmed");
  }
}

TEST_F(SqliteStorageTest, RevisionsAndSingleUseCodes) {
  Exposure e = exposure(3600, {"JP"});
  VerificationCode code;
  crypto::random_bytes(code.code_hash);
  code.test_type = "likely";
  code.expires_at = 1000;
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.insert_exposures(std::vector<Exposure>{e}));
    return tx.insert_code(code);
  }).ok());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) { return tx.insert_code(code); }).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.claim_code(code.code_hash, 5); }).ok());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) { return tx.claim_code(code.code_hash, 6); }).code(),
            ErrorCode::kFailedPrecondition);
  e.revised_report_type = "confirmed";
  e.revised_at = 7200;
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.update_revisions(std::vector<Exposure>{e}); }).ok());
  int revised = 0;
  ASSERT_TRUE(storage_->read([&](Transaction& tx) {
    return tx.scan_exposures("JP", 7200, 10800, true, [&](const Exposure& x) {
      EXPECT_EQ(x.revised_report_type, "confirmed");
      ++revised;
    });
  }).ok());
  EXPECT_EQ(revised, 1);
}

TEST_F(SqliteStorageTest, ReopeningAppliesNoMigrationTwice) {
  storage_.reset();
  auto again = open_storage("sqlite:" + dir_ + "/db");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_FALSE(open_storage("postgres://nowhere").ok());
  EXPECT_FALSE(open_storage("sqlite:").ok());
}

TEST_F(SqliteStorageTest, HealthAuthoritiesByKeyHashAndRevocation) {
  Hash key;
  crypto::random_bytes(key);
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
    auto id = tx.insert_health_authority("Lab", key, 1);
    return id.ok() ? Status::Ok() : id.status();
  }).ok());
  auto find = [&]() {
    std::optional<HealthAuthority> ha;
    EXPECT_TRUE(storage_->read([&](Transaction& tx) -> Status {
      auto f = tx.find_health_authority_by_key(key);
      if (!f.ok()) return f.status();
      ha = *f;
      return Status::Ok();
    }).ok());
    return ha;
  };
  ASSERT_TRUE(find().has_value());
  EXPECT_EQ(find()->name, "Lab");
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.revoke_health_authority("Lab", 2); }).ok());
  EXPECT_FALSE(find().has_value());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) { return tx.revoke_health_authority("Lab", 3); }).code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace exposure::server
