// Group commit through the real SQLite storage: many threads write at once, each caller
// gets its own body's outcome, failed and throwing bodies are rolled back alone, and what
// succeeded is stored.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/storage.h"
#include "support/temp_dir.h"

namespace exposure::server {
namespace {

VerificationCode code_number(int n) {
  VerificationCode c;
  c.code_hash.fill(0);
  c.code_hash[0] = static_cast<uint8_t>(n & 0xff);
  c.code_hash[1] = static_cast<uint8_t>((n >> 8) & 0xff);
  c.code_hash[2] = 1;
  c.uuid = "uuid-" + std::to_string(n);
  c.health_authority_id = 1;
  c.test_type = "confirmed";
  c.issued_at = 1000;
  c.expires_at = 2000;
  return c;
}

bool stored(Storage& storage, int n) {
  bool found = false;
  Status st = storage.read([&](Transaction& tx) -> Status {
    auto code = tx.verification().find_code(code_number(n).code_hash);
    if (!code.ok()) return code.status();
    found = code->has_value();
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.to_string();
  return found;
}

TEST(GroupCommit, ConcurrentWritersGetTheirOwnOutcome) {
  exposure::testing::TempDir dir;
  auto storage = open_storage("sqlite:" + dir.file("group.db"));
  ASSERT_TRUE(storage.ok()) << storage.status().to_string();
  constexpr int kThreads = 16, kPerThread = 60;
  std::atomic<int> wrong_status{0}, exceptions_seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        try {
          // n % 3 == 1: writes, then fails; n % 3 == 2: writes, then throws; else commits.
          Status st = (*storage)->transaction([&](Transaction& tx) -> Status {
            EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_code(code_number(n)));
            if (n % 3 == 1) return Status(ErrorCode::kFailedPrecondition, "rejected " + std::to_string(n));
            if (n % 3 == 2) throw std::runtime_error("thrown " + std::to_string(n));
            return Status::Ok();
          });
          bool expected = n % 3 == 0 ? st.ok() : st.message() == "rejected " + std::to_string(n);
          if (!expected) ++wrong_status;
        } catch (const std::runtime_error& e) {
          if (n % 3 == 2 && std::string(e.what()) == "thrown " + std::to_string(n)) ++exceptions_seen;
          else ++wrong_status;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong_status.load(), 0);
  EXPECT_EQ(exceptions_seen.load(), kThreads * kPerThread / 3);
  for (int n = 0; n < kThreads * kPerThread; ++n) EXPECT_EQ(stored(**storage, n), n % 3 == 0) << "code " << n;
}

TEST(GroupCommit, ConstraintViolationFailsOnlyThatCaller) {
  exposure::testing::TempDir dir;
  auto storage = open_storage("sqlite:" + dir.file("group.db"));
  ASSERT_TRUE(storage.ok()) << storage.status().to_string();
  ASSERT_TRUE((*storage)->transaction([](Transaction& tx) { return tx.verification().insert_code(code_number(7)); }).ok());
  // Many callers at once, half of them inserting the existing code 7 again.
  constexpr int kThreads = 12;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = (*storage)->transaction([&](Transaction& tx) -> Status {
        EXPOSURE_RETURN_IF_ERROR(tx.verification().insert_code(code_number(100 + t)));
        return t % 2 ? tx.verification().insert_code(code_number(7)) : Status::Ok();
      });
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[t].code(), t % 2 ? ErrorCode::kAlreadyExists : ErrorCode::kOk) << t;
    EXPECT_EQ(stored(**storage, 100 + t), t % 2 == 0) << t;
  }
  EXPECT_TRUE(stored(**storage, 7));
}

}  // namespace
}  // namespace exposure::server
