// The fixture of the storage contract tests (server/storage/*_test.cc): a fresh database of
// the test run's backend (SQLite, or PostgreSQL when the run provides a server:
// test_database.h) opened through open_storage, and helpers to read values and to run
// bodies on several threads, each with its own Storage as separate server processes would.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exposure/crypto.h"
#include "storage/storage.h"
#include "tests/test_database.h"

namespace exposure::server::testing {

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

  // Another Storage on the test's database.
  std::unique_ptr<Storage> open() {
    auto s = open_storage(db_->url());
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs `body` in a write transaction.
  Status write(const std::function<Status(Transaction&)>& body) {
    return storage_->transaction(body);
  }

  // The value `get` returns in a read transaction (a failed read fails the test).
  template <typename Get>
  auto read(const Get& get) {
    using Value = std::decay_t<decltype(*get(std::declval<Transaction&>()))>;
    std::optional<Value> out;
    Status st = storage_->read([&](Transaction& tx) -> Status {
      auto r = get(tx);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.to_string();
    return out ? std::move(*out) : Value{};
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

  // A random key published at `created_at` to `regions`.
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
  // A random hash (code, token, API key, idempotency key).
  static Hash random_hash() {
    Hash h;
    crypto::random_bytes(h);
    return h;
  }

  std::string dir_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Storage> storage_;
};

}  // namespace exposure::server::testing
