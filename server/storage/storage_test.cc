// The Storage contract, run against the backend of the test run (SQLite, or PostgreSQL
// when the run provides a server: server/tests/test_database.h). Concurrency tests use one
// Storage per thread, as separate server processes would.
#include "storage/storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "exposure/crypto.h"
#include "tests/test_database.h"

namespace exposure::server {
namespace {

using testing::TestDatabase;

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/exposure-storage-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = std::make_unique<TestDatabase>(dir_);
    storage_ = open();
    ASSERT_NE(storage_, nullptr);
  }
  void TearDown() override {
    storage_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Storage> open() {
    auto s = open_storage(db_->url());
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
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
  // Runs `body(thread index)` on `n` threads at once, each with its own Storage.
  void concurrently(int n, const std::function<void(Storage&, int)>& body) {
    std::vector<std::unique_ptr<Storage>> storages;
    for (int i = 0; i < n; ++i) storages.push_back(open());
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready < n) std::this_thread::yield();
        body(*storages[static_cast<size_t>(i)], i);
      });
    }
    for (auto& t : threads) t.join();
  }
  std::vector<Exposure> find(const std::vector<KeyData>& keys) {
    std::vector<Exposure> found;
    EXPECT_TRUE(storage_->read([&](Transaction& tx) -> Status {
      auto f = tx.find_exposures(keys);
      if (!f.ok()) return f.status();
      found = *f;
      return Status::Ok();
    }).ok());
    return found;
  }
  std::string dir_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(StorageTest, FailedTransactionStoresNothing) {
  Exposure a = exposure(3600, {"JP"});
  Status st = storage_->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.insert_exposures(std::vector<Exposure>{a}));
    return Status(ErrorCode::kFailedPrecondition, "abort");
  });
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(find({a.key_data}).empty());
}

TEST_F(StorageTest, ExposuresRoundTripAndScanByRegionAndWindow) {
  Exposure jp = exposure(3600, {"JP"});
  Exposure both = exposure(3600, {"US", "JP"});
  Exposure us_late = exposure(7200, {"US"});
  Exposure jpx = exposure(3600, {"JPX"});  // a region whose name contains another
  jpx.traveler = true;
  jpx.days_since_onset.reset();
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) {
    return tx.insert_exposures(std::vector<Exposure>{jp, both, us_late, jpx});
  }).ok());
  // A duplicate key: kAlreadyExists, and the transaction stores nothing of its other keys.
  Exposure fresh = exposure(3600, {"JP"});
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) {
    return tx.insert_exposures(std::vector<Exposure>{fresh, jp});
  }).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(find({fresh.key_data}).empty());
  std::vector<Exposure> seen;
  ASSERT_TRUE(storage_->read([&](Transaction& tx) {
    return tx.scan_exposures("JP", 3600, 7200, false, [&](const Exposure& e) { seen.push_back(e); });
  }).ok());
  ASSERT_EQ(seen.size(), 2u);
  for (const Exposure& e : seen) {
    EXPECT_TRUE(e.key_data == jp.key_data || e.key_data == both.key_data);
    EXPECT_EQ(e.days_since_onset, -3);
    EXPECT_EQ(e.report_type, "confirmed");
    EXPECT_FALSE(e.traveler);
  }
  auto stored = find({jpx.key_data});
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_TRUE(stored[0].traveler);
  EXPECT_FALSE(stored[0].days_since_onset.has_value());
  EXPECT_EQ(stored[0].regions, std::vector<std::string>{"JPX"});
}

TEST_F(StorageTest, RevisionsAndSingleUseCodes) {
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
  e.revised_days_since_onset = 2;
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.update_revisions(std::vector<Exposure>{e}); }).ok());
  int revised = 0;
  ASSERT_TRUE(storage_->read([&](Transaction& tx) {
    return tx.scan_exposures("JP", 7200, 10800, true, [&](const Exposure& x) {
      EXPECT_EQ(x.revised_report_type, "confirmed");
      EXPECT_EQ(x.revised_days_since_onset, 2);
      ++revised;
    });
  }).ok());
  EXPECT_EQ(revised, 1);
}

TEST_F(StorageTest, ReopeningAppliesNoMigrationTwice) {
  storage_.reset();
  storage_ = open();
  ASSERT_NE(storage_, nullptr);
  EXPECT_TRUE(storage_->ping().ok());
}

TEST_F(StorageTest, HealthAuthoritiesByKeyHashAndRevocation) {
  Hash key;
  crypto::random_bytes(key);
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
    auto id = tx.insert_health_authority("Lab", key, 1);
    return id.ok() ? Status::Ok() : id.status();
  }).ok());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) -> Status {
    auto id = tx.insert_health_authority("Lab", key, 1);
    return id.ok() ? Status::Ok() : id.status();
  }).code(), ErrorCode::kAlreadyExists);
  auto find_ha = [&]() {
    std::optional<HealthAuthority> ha;
    EXPECT_TRUE(storage_->read([&](Transaction& tx) -> Status {
      auto f = tx.find_health_authority_by_key(key);
      if (!f.ok()) return f.status();
      ha = *f;
      return Status::Ok();
    }).ok());
    return ha;
  };
  ASSERT_TRUE(find_ha().has_value());
  EXPECT_EQ(find_ha()->name, "Lab");
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.revoke_health_authority("Lab", 2); }).ok());
  EXPECT_FALSE(find_ha().has_value());
  EXPECT_EQ(storage_->transaction([&](Transaction& tx) { return tx.revoke_health_authority("Lab", 3); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(StorageTest, SigningKeysNewestFirstAndExportFiles) {
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.insert_signing_key(SigningKeyRecord{"440", "v1", Bytes{1, 2}, "pem1", 10, true}));
    EXPOSURE_RETURN_IF_ERROR(tx.insert_signing_key(SigningKeyRecord{"440", "v2", Bytes{3}, "pem2", 10, true}));
    EXPOSURE_RETURN_IF_ERROR(tx.set_signing_key_active("440", "v1", false));
    return tx.upsert_export_files(std::vector<ExportFile>{{"JP", "JP/a.zip", 0, 3600, 1, 5, 100},
                                                          {"JP", "JP/b.zip", 3600, 7200, 1, 6, 200}});
  }).ok());
  std::vector<SigningKeyRecord> keys;
  std::vector<ExportFile> doomed, left;
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
    auto k = tx.list_signing_keys();
    if (!k.ok()) return k.status();
    keys = *k;
    auto d = tx.delete_export_files_before(7000);
    if (!d.ok()) return d.status();
    doomed = *d;
    auto l = tx.list_export_files();
    if (!l.ok()) return l.status();
    left = *l;
    return Status::Ok();
  }).ok());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key_version, "v2");
  EXPECT_EQ(keys[1].sealed_private_key, (Bytes{1, 2}));
  EXPECT_FALSE(keys[1].active);
  ASSERT_EQ(doomed.size(), 1u);
  EXPECT_EQ(doomed[0].name, "JP/a.zip");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].size, 200);
}

TEST_F(StorageTest, LeaseHasOneHolderUntilItExpires) {
  auto acquire = [&](const char* holder, int64_t now) {
    bool held = false;
    EXPECT_TRUE(storage_->transaction([&](Transaction& tx) -> Status {
      auto r = tx.acquire_lease("export", holder, now, now + 100);
      if (!r.ok()) return r.status();
      held = *r;
      return Status::Ok();
    }).ok());
    return held;
  };
  EXPECT_TRUE(acquire("a", 1000));   // free
  EXPECT_FALSE(acquire("b", 1050));  // a holds it until 1100
  EXPECT_TRUE(acquire("a", 1050));   // renewal: until 1150
  EXPECT_FALSE(acquire("b", 1149));
  EXPECT_TRUE(acquire("b", 1150));  // expired
  EXPECT_FALSE(acquire("a", 1160));
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.release_lease("export", "a"); }).ok());
  EXPECT_FALSE(acquire("c", 1170));  // a's release did not free b's lease
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.release_lease("export", "b"); }).ok());
  EXPECT_TRUE(acquire("c", 1170));
}

TEST_F(StorageTest, ConcurrentClaimsOfOneCodeAndLeaseHaveOneWinner) {
  VerificationCode code;
  crypto::random_bytes(code.code_hash);
  code.test_type = "confirmed";
  code.expires_at = 1000;
  ASSERT_TRUE(storage_->transaction([&](Transaction& tx) { return tx.insert_code(code); }).ok());
  std::atomic<int> claimed{0}, refused{0}, leased{0};
  concurrently(6, [&](Storage& s, int i) {
    Status st = s.transaction([&](Transaction& tx) -> Status {
      auto found = tx.find_code(code.code_hash);
      if (!found.ok()) return found.status();
      if (!*found || (*found)->claimed_at) return Status(ErrorCode::kFailedPrecondition, "seen claimed");
      return tx.claim_code(code.code_hash, 5);
    });
    if (st.ok()) ++claimed;
    else if (st.code() == ErrorCode::kFailedPrecondition) ++refused;
    else ADD_FAILURE() << st.to_string();
    Status lease = s.transaction([&](Transaction& tx) -> Status {
      auto r = tx.acquire_lease("export", "holder" + std::to_string(i), 0, 100);
      if (!r.ok()) return r.status();
      if (*r) ++leased;
      return Status::Ok();
    });
    EXPECT_TRUE(lease.ok()) << lease.to_string();
  });
  EXPECT_EQ(claimed, 1);
  EXPECT_EQ(refused, 5);
  EXPECT_EQ(leased, 1);
}

TEST_F(StorageTest, ConcurrentUploadsOfTheSameKeysStoreThemOnce) {
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
      auto existing = tx.find_exposures(keys);
      if (!existing.ok()) return existing.status();
      found = static_cast<int>(existing->size());
      return existing->empty() ? tx.insert_exposures(upload) : Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    if (found == 0) ++inserted;
    if (found == 14) ++found_stored;
  });
  EXPECT_EQ(inserted, 1);
  EXPECT_EQ(found_stored, 5);
  EXPECT_EQ(find(keys).size(), 14u);
}

TEST_F(StorageTest, ConcurrentStartsOnANewDatabaseMigrateOnce) {
  // A second database, opened by several "instances" at once.
  const std::string other_dir = dir_ + "/other";
  std::filesystem::create_directories(other_dir);
  TestDatabase other(other_dir);
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto s = open_storage(other.url());
      if (s.ok() && (*s)->ping().ok()) ++opened;
      else ADD_FAILURE() << s.status().to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened, 4);
}

TEST(OpenStorage, BadValuesGiveOneLineErrorsWithoutPasswords) {
  auto unknown = open_storage("mysql://user:pw@host/db");
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message().find("pw@"), std::string::npos) << unknown.status().message();
  EXPECT_EQ(open_storage("sqlite:").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(open_storage("").status().code(), ErrorCode::kInvalidArgument);

  // Port 1 on loopback: nothing listens there.
  auto unreachable = open_storage("postgres://exposure:s3cret@127.0.0.1:1/exposure?connect_timeout=2");
  ASSERT_FALSE(unreachable.ok());
  const std::string message = unreachable.status().message();
  EXPECT_EQ(unreachable.status().code(), ErrorCode::kIoError);
  EXPECT_NE(message.find("cannot connect to postgres://exposure:***@127.0.0.1:1/exposure"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  auto malformed = open_storage("postgresql://host/db?password=s3cret&nosuchoption=1");
  EXPECT_EQ(malformed.status().code(), ErrorCode::kInvalidArgument) << malformed.status().to_string();
  EXPECT_EQ(malformed.status().message().find("s3cret"), std::string::npos) << malformed.status().message();
}

}  // namespace
}  // namespace exposure::server
