// The Storage contract (storage.h), run against the backend of the test run
// (tests/storage_fixture.h): transactions commit all or nothing, migrations run once.
// Each component store has its own contract test beside its header.
#include "storage/storage.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;
using testing::TestDatabase;

TEST_F(StorageTest, FailedTransactionStoresNothing) {
  Exposure a = exposure(3600, {"JP"});
  Status st = write([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.exposures().insert_exposures(std::vector<Exposure>{a}));
    return Status(ErrorCode::kFailedPrecondition, "abort");
  });
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(read([&](Transaction& tx) {
                return tx.exposures().find_exposures(std::vector<KeyData>{a.key_data});
              }).empty());
}

TEST_F(StorageTest, ReadTransactionsCannotWrite) {
  const Hash h = random_hash();
  VerificationCode code;
  code.code_hash = h;
  code.test_type = "confirmed";
  EXPECT_FALSE(storage_->read([&](Transaction& tx) { return tx.verification().insert_code(code); }).ok());
  EXPECT_FALSE(read([&](Transaction& tx) { return tx.verification().find_code(h); }).has_value());
  // The storage writes again afterwards.
  EXPECT_TRUE(write([&](Transaction& tx) { return tx.verification().insert_code(code); }).ok());
  EXPECT_TRUE(read([&](Transaction& tx) { return tx.verification().find_code(h); }).has_value());
}

TEST_F(StorageTest, ReopeningAppliesNoMigrationTwice) {
  storage_.reset();
  storage_ = open();
  ASSERT_NE(storage_, nullptr);
  EXPECT_TRUE(storage_->ping().ok());
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
      if (s.ok() && (*s)->ping().ok())
        ++opened;
      else
        ADD_FAILURE() << s.status().to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened, 4);
}

TEST(OpenStorage, BadValuesGiveOneLineErrorsWithoutPasswords) {
  auto unknown = open_storage("mysql://user:pw@host/db");
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message().find("pw@"), std::string::npos)
      << unknown.status().message();
  EXPECT_EQ(open_storage("sqlite:").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(open_storage("").status().code(), ErrorCode::kInvalidArgument);

  // Port 1 on loopback: nothing listens there.
  auto unreachable =
      open_storage("postgres://exposure:s3cret@127.0.0.1:1/exposure?connect_timeout=2");
  ASSERT_FALSE(unreachable.ok());
  const std::string message = unreachable.status().message();
  EXPECT_EQ(unreachable.status().code(), ErrorCode::kIoError);
  EXPECT_NE(message.find("cannot connect to postgres://exposure:***@127.0.0.1:1/exposure"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  auto malformed = open_storage("postgresql://host/db?password=s3cret&nosuchoption=1");
  EXPECT_EQ(malformed.status().code(), ErrorCode::kInvalidArgument)
      << malformed.status().to_string();
  EXPECT_EQ(malformed.status().message().find("s3cret"), std::string::npos)
      << malformed.status().message();
}

}  // namespace
}  // namespace exposure::server
