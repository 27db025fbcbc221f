// api_transaction() on the test run's backend: a value is committed, a refusal comes out
// as is with the body's writes rolled back, a storage failure becomes 500 internal_error.
#include "http/api_transaction.h"

#include <gtest/gtest.h>

#include "tests/storage_fixture.h"

namespace exposure::server {
namespace {

using testing::StorageTest;
using ApiTransactionTest = StorageTest;

TEST_F(ApiTransactionTest, ValueIsCommittedAndReturned) {
  auto id = api_transaction(*storage_, "test", [&](Transaction& tx) -> TxResult<int64_t> {
    auto inserted = tx.verification().insert_health_authority("Lab", random_hash(), 1);
    if (!inserted.ok()) return inserted.status();
    return *inserted;
  });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto all = read([](Transaction& tx) { return tx.verification().list_health_authorities(); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, *id);
}

TEST_F(ApiTransactionTest, RefusalIsReturnedAsIsAndRollsBack) {
  auto refused = api_transaction(*storage_, "test", [&](Transaction& tx) -> TxResult<int64_t> {
    auto inserted = tx.verification().insert_health_authority("Lab", random_hash(), 1);
    if (!inserted.ok()) return inserted.status();
    ApiError e = api_error(412, "unsupported_test_type", "no");
    e.retry_after_seconds = 7;
    return e;
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().http_status, 412);
  EXPECT_EQ(refused.error().code, "unsupported_test_type");
  EXPECT_EQ(refused.error().message, "no");
  EXPECT_EQ(refused.error().retry_after_seconds, 7);
  EXPECT_TRUE(
      read([](Transaction& tx) { return tx.verification().list_health_authorities(); }).empty());
}

TEST_F(ApiTransactionTest, StorageFailureBecomesInternalErrorAndRollsBack) {
  const Hash key = random_hash();
  ASSERT_TRUE(write([&](Transaction& tx) -> Status {
                auto id = tx.verification().insert_health_authority("Lab", key, 1);
                return id.ok() ? Status::Ok() : id.status();
              }).ok());
  const VerificationCode code{
      .code_hash = random_hash(), .test_type = "confirmed", .expires_at = 100};
  auto failed = api_transaction(*storage_, "test", [&](Transaction& tx) -> TxResult<int64_t> {
    if (Status st = tx.verification().insert_code(code); !st.ok()) return st;
    auto duplicate = tx.verification().insert_health_authority("Lab", key, 1);  // kAlreadyExists
    if (!duplicate.ok()) return duplicate.status();
    return *duplicate;
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().http_status, 500);
  EXPECT_EQ(failed.error().code, "internal_error");
  EXPECT_EQ(failed.error().message.find("Lab"), std::string::npos);  // nothing of the cause leaks
  EXPECT_FALSE(read([&](Transaction& tx) {
                 return tx.verification().find_code(code.code_hash);
               }).has_value());
}

TEST_F(ApiTransactionTest, FailureOfAnInnerStepPassesThroughToTheOuterBody) {
  // A helper's TxResult of another type (claim_code_in, store_upload) passes its failure on.
  auto inner = [](Transaction& tx, const Hash& h) -> TxResult<VerificationCode> {
    auto found = tx.verification().find_code(h);
    if (!found.ok()) return found.status();
    if (!*found) return api_error(400, "code_not_found", "verification code not found");
    return **found;
  };
  auto outer = api_transaction(*storage_, "test", [&](Transaction& tx) -> TxResult<std::string> {
    auto code = inner(tx, random_hash());
    if (!code.ok()) return std::move(code).failure();
    return code->uuid;
  });
  ASSERT_FALSE(outer.ok());
  EXPECT_EQ(outer.error().code, "code_not_found");
}

}  // namespace
}  // namespace exposure::server
