// Tampering with the files of a closed store: every change to a record is reported.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "exposure/store.h"
#include "store/store_test_util.h"

namespace exposure {
namespace {

using testing::read_file;
using testing::StoreTest;

class StoreIntegrityTest : public StoreTest {
 protected:
  // A closed store holding three batches (chunks 1..3) and an own-key history.
  void SetUp() override {
    auto store = open_store();
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      ASSERT_TRUE(store->add_sightings(testing::recent_sightings(4, 5, seed)).ok());
    }
    TemporaryExposureKey tek = generate_temporary_exposure_key(interval_number(testing::kNow));
    ASSERT_TRUE(store->save_own_keys(std::span(&tek, 1)).ok());
    ASSERT_TRUE(store->save_own_keys(std::span(&tek, 1)).ok());  // generation 2
  }

  // Runs SQL on the closed store's file, outside the library.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }

  std::string blob(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(db_path().c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      out.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                 static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  // Replaces a blob: `update` has one parameter, the new value.
  void set_blob(const std::string& update, const std::string& value) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, update.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    sqlite3_bind_blob(stmt, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }

  // Flips the lowest bit of byte `offset` of the blob `select` returns and writes it back
  // with `update`.
  void flip_bit(const std::string& select, const std::string& update, size_t offset) {
    std::string value = blob(select);
    ASSERT_GT(value.size(), offset);
    value[offset] = static_cast<char>(value[offset] ^ 0x01);
    set_blob(update, value);
  }

  // The error opening the store or loading its sightings reports after tampering.
  Status load_error() {
    StoreOptions options;
    options.clock = &clock_;
    auto store = Store::open(dir_.path(), key_, options);
    if (!store.ok()) return store.status();
    std::vector<Sighting> out;
    Status s = (*store)->load_sightings(&out);
    EXPECT_TRUE(s.ok() || out.empty());
    return s;
  }
};

TEST_F(StoreIntegrityTest, UntouchedStoreLoads) { EXPECT_TRUE(load_error().ok()); }

TEST_F(StoreIntegrityTest, FlippedByteInAChunkIsReported) {
  // Flip one byte in the middle of chunk 2's ciphertext.
  flip_bit("SELECT sealed FROM sighting_chunks WHERE id = 2",
           "UPDATE sighting_chunks SET sealed = ? WHERE id = 2", 100);
  Status s = load_error();
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("sighting chunk 2 (day "), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("failed authentication"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, FlippedByteInTheRawFileIsReported) {
  const std::string sealed = blob("SELECT sealed FROM sighting_chunks WHERE id = 3");
  ASSERT_GT(sealed.size(), 200u);
  std::string file = read_file(db_path());
  const size_t at = file.find(sealed.substr(100, 64));
  ASSERT_NE(at, std::string::npos);
  file[at + 10] = static_cast<char>(file[at + 10] ^ 0x01);
  testing::write_file(db_path(), file);
  Status s = load_error();
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("sighting chunk 3"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, SwappedChunksAreReported) {
  tamper(
      "UPDATE sighting_chunks SET sealed = (SELECT sealed FROM sighting_chunks WHERE id = 1) "
      "WHERE id = 2");
  Status s = load_error();
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("sighting chunk 2"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, MovedToAnotherDayIsReported) {
  tamper("UPDATE sighting_chunks SET day = day + 1 WHERE id = 1");
  EXPECT_EQ(load_error().code(), ErrorCode::kCorrupt);
}

TEST_F(StoreIntegrityTest, DeletedChunkIsReported) {
  tamper("DELETE FROM sighting_chunks WHERE id = 2");
  Status s = load_error();
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("differ from its sealed summary"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, ChunkReinsertedUnderANewIdIsReported) {
  tamper(
      "INSERT INTO sighting_chunks(id, day, sealed) SELECT 9, day, sealed FROM sighting_chunks "
      "WHERE id = 1");
  Status s = load_error();
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("not written by this store"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, TamperedSummaryFailsAtOpen) {
  flip_bit("SELECT value FROM meta WHERE name = 'summary'",
           "UPDATE meta SET value = ? WHERE name = 'summary'", 30);
  Status s = open_error(key_);
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("summary record failed authentication"), std::string::npos)
      << s.message();
}

TEST_F(StoreIntegrityTest, ReplayedOwnKeyRecordIsReported) {
  // Put back the record of generation 2 as if it were generation 1 (an older history).
  tamper("UPDATE own_keys SET generation = 1");
  auto store = open_store();
  std::vector<TemporaryExposureKey> keys;
  Status s = store->load_own_keys(&keys);
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("generation 1, the summary names 2"), std::string::npos)
      << s.message();
}

TEST_F(StoreIntegrityTest, ModifiedOwnKeyRecordIsReported) {
  flip_bit("SELECT sealed FROM own_keys", "UPDATE own_keys SET sealed = ?", 41);
  auto store = open_store();
  std::vector<TemporaryExposureKey> keys;
  Status s = store->load_own_keys(&keys);
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt);
  EXPECT_NE(s.message().find("own-key record failed authentication"), std::string::npos);
}

TEST_F(StoreIntegrityTest, NewerFormatIsUnsupported) {
  tamper("UPDATE meta SET value = x'02' WHERE name = 'format'");
  Status s = open_error(key_);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_NE(s.message().find("store format 2"), std::string::npos) << s.message();
}

TEST_F(StoreIntegrityTest, ModifiedKeyCheckReadsAsWrongKey) {
  tamper("UPDATE meta SET value = zeroblob(32) WHERE name = 'key_check'");
  EXPECT_EQ(open_error(key_).code(), ErrorCode::kWrongKey);
}

TEST_F(StoreIntegrityTest, TruncatedFileIsReportedNotCrashed) {
  std::string file = read_file(db_path());
  testing::write_file(db_path(), file.substr(0, file.size() / 2));
  Status s = load_error();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kCorrupt) << s.to_string();
}

}  // namespace
}  // namespace exposure
