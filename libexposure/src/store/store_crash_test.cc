// A process killed (SIGKILL) inside a store write leaves a store that opens intact and holds
// the write wholly or not at all. The child process kills itself at a point of the write
// transaction the test names (the hook of store/write_hook.h), never after some elapsed time:
// when it begins, after each write, just before COMMIT and just after it.
//
// To cover a new kind of state: a test that puts the store in its "before" state, then calls
// kill_at_every_point with the write (one Store call, one transaction) and a check that the
// reopened store holds wholly the state before it or wholly the state after it; and a line in
// expect_readable for the new state.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <map>

#include "exposure/store.h"
#include "store/store_test_util.h"
#include "store/write_hook.h"

namespace exposure {
namespace {

using store_internal::WritePoint;
using testing::kNow;
using testing::kToday;
using testing::sorted;
using testing::StoreTest;

// Where the child dies: at `point` of the first write transaction after the store is open;
// for kWrote, after write number `writes` of it.
struct KillPoint {
  WritePoint point;
  uint64_t writes = 0;
};

std::string describe(const KillPoint& at) {
  switch (at.point) {
    case WritePoint::kBegun:
      return "kill when the transaction began";
    case WritePoint::kWrote:
      return "kill after write " + std::to_string(at.writes);
    case WritePoint::kCommitting:
      return "kill just before COMMIT";
    case WritePoint::kCommitted:
      return "kill just after COMMIT";
  }
  return "kill at an unknown point";
}

// The child's side: where to die and where to report it (set in the child only).
KillPoint child_kill_at{WritePoint::kBegun};
int child_report_fd = -1;
int child_transactions = 0;

// How a child that was not killed ended.
enum ChildExit {
  kChildFinished = 2,
  kChildOpenFailed = 3,
  kChildWriteFailed = 4,
  kChildReportFailed
};

// Reports the writes made so far to the parent, then dies as kill -9 would.
void kill_hook(WritePoint point, uint64_t writes) {
  if (point == WritePoint::kBegun) ++child_transactions;
  if (child_transactions != 1 || point != child_kill_at.point) return;
  if (point == WritePoint::kWrote && writes != child_kill_at.writes) return;
  if (::write(child_report_fd, &writes, sizeof writes) != sizeof writes) _exit(kChildReportFailed);
  raise(SIGKILL);
}

uint64_t file_bytes(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

class StoreCrashTest : public StoreTest {
 protected:
  // One store operation that writes in one transaction.
  using Write = std::function<Status(Store&)>;
  // Checks that a reopened store holds wholly the state from before the write (committed
  // false) or wholly the state after it (committed true).
  using ExpectState = std::function<void(Store&, bool committed)>;

  struct KillRound {
    uint64_t writes = 0;  // writes of the transaction under test
    // Largest growth of the WAL caused by a kill before COMMIT: the uncommitted pages that
    // were on disk when the process died (0 when every kill found them all in memory).
    uint64_t uncommitted_wal_bytes = 0;
  };

  // Forks a child that opens the store, arms the hook to kill it at `at` and runs `write`.
  // Returns the number of writes the transaction had made when the child died there, or how
  // the child ended instead. No store may be open in this process.
  Result<uint64_t> kill_at(const KillPoint& at, const Write& write) {
    int fds[2];
    if (pipe(fds) != 0) return Status{ErrorCode::kIoError, "pipe failed"};
    const pid_t pid = fork();
    if (pid < 0) return Status{ErrorCode::kIoError, "fork failed"};
    if (pid == 0) {
      // Child: no gtest, no destructors (_exit only).
      close(fds[0]);
      auto store = Store::open(dir_.path(), key_, options());
      if (!store.ok()) _exit(kChildOpenFailed);
      child_kill_at = at;
      child_report_fd = fds[1];
      store_internal::set_write_hook(kill_hook);
      _exit(write(**store).ok() ? kChildFinished : kChildWriteFailed);
    }
    close(fds[1]);
    uint64_t writes = 0;
    size_t got = 0;
    for (;;) {
      const ssize_t n = read(fds[0], reinterpret_cast<char*>(&writes) + got, sizeof writes - got);
      if (n > 0 && (got += static_cast<size_t>(n)) < sizeof writes) continue;
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && got == sizeof writes) return writes;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const std::string what = describe(at) + ": ";
    if (code == kChildFinished) {
      return Status{ErrorCode::kInternal, what + "the write finished without reaching the point"};
    }
    if (code == kChildOpenFailed) return Status{ErrorCode::kInternal, what + "child cannot open"};
    if (code == kChildWriteFailed) return Status{ErrorCode::kInternal, what + "the write failed"};
    if (code == kChildReportFailed) return Status{ErrorCode::kInternal, what + "no report sent"};
    return Status{ErrorCode::kInternal,
                  what + "child ended with wait status " + std::to_string(status)};
  }

  // Every record of the store authenticates and agrees with the sealed summary.
  void expect_readable(Store& store) {
    std::vector<Sighting> sightings;
    Status s = store.load_sightings(&sightings);
    EXPECT_TRUE(s.ok()) << s.to_string();
    std::vector<TemporaryExposureKey> keys;
    s = store.load_own_keys(&keys);
    EXPECT_TRUE(s.ok()) << s.to_string();
    auto stats = store.stats();
    ASSERT_TRUE(stats.ok()) << stats.status().to_string();
    EXPECT_EQ(stats->sightings, sightings.size());
    EXPECT_EQ(stats->own_keys, keys.size());
    for (AppStateSlot slot : {AppStateSlot::kUpload, AppStateSlot::kCheck}) {
      Bytes state;
      s = store.load_app_state(slot, &state);
      EXPECT_TRUE(s.ok()) << s.to_string();
    }
  }

  // Kills `write` at every point of its transaction in turn (just before COMMIT first, which
  // tells how many writes it makes; then when it begins, after each write, and just after
  // COMMIT), reopening the store after each kill: it must open (never kCorrupt), be readable,
  // and hold the state before the write after every kill but the last. `key_after`: the
  // store's key once the write committed, when the write changes it (the other key must
  // then be refused).
  void kill_at_every_point(const Write& write, const ExpectState& expect_state, KillRound* round,
                           const StorageKey* key_after = nullptr) {
    const std::string wal = db_path() + "-wal";
    auto kill_and_reopen = [&](const KillPoint& at, bool committed) -> uint64_t {
      SCOPED_TRACE(describe(at));
      const uint64_t wal_before = file_bytes(wal);
      auto writes = kill_at(at, write);
      EXPECT_TRUE(writes.ok()) << writes.status().to_string();
      if (!writes.ok()) return 0;
      if (!committed) {
        const uint64_t wal_after = file_bytes(wal);
        if (wal_after > wal_before) {
          round->uncommitted_wal_bytes =
              std::max(round->uncommitted_wal_bytes, wal_after - wal_before);
        }
      }
      const StorageKey& key = committed && key_after != nullptr ? *key_after : key_;
      if (key_after != nullptr) {
        const StorageKey& other = committed ? key_ : *key_after;
        EXPECT_EQ(open_error(other).code(), ErrorCode::kWrongKey);
      }
      auto store = open_with(key);
      EXPECT_TRUE(store) << "the store does not open after the kill";
      if (store) {
        expect_readable(*store);
        expect_state(*store, committed);
      }
      return *writes;
    };
    round->writes = kill_and_reopen({WritePoint::kCommitting}, false);
    ASSERT_GT(round->writes, 0u) << "the write under test wrote nothing";
    EXPECT_EQ(kill_and_reopen({WritePoint::kBegun}, false), 0u);
    for (uint64_t w = 1; w <= round->writes; ++w) {
      EXPECT_EQ(kill_and_reopen({WritePoint::kWrote, w}, false), w);
    }
    EXPECT_EQ(kill_and_reopen({WritePoint::kCommitted}, true), round->writes);
  }
};

// Batch `b`: `per_day` sightings on each of the three days before today, whose RPIs start
// with b (big-endian) and are otherwise distinct.
std::vector<Sighting> batch(uint32_t b, uint32_t per_day) {
  std::vector<Sighting> out;
  for (uint32_t day = kToday - 3; day < kToday; ++day) {
    for (uint32_t i = 0; i < per_day; ++i) {
      Sighting s;
      for (int k = 0; k < 4; ++k) s.rpi[k] = static_cast<uint8_t>(b >> (24 - 8 * k));
      for (int k = 0; k < 4; ++k) s.rpi[4 + k] = static_cast<uint8_t>(i >> (8 * k));
      s.rpi[8] = static_cast<uint8_t>(day);
      s.time = day * 86400 + i % 86400;
      s.rssi = static_cast<int8_t>(-40 - static_cast<int>(i % 60));
      out.push_back(s);
    }
  }
  return out;
}

uint32_t batch_of(const Sighting& s) {
  return uint32_t{s.rpi[0]} << 24 | uint32_t{s.rpi[1]} << 16 | uint32_t{s.rpi[2]} << 8 | s.rpi[3];
}

TEST_F(StoreCrashTest, KillDuringIngestLeavesOnlyWholeBatches) {
  const std::vector<Sighting> before = batch(0, 500);
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->add_sightings(before).ok());
  }
  // Two chunks a day (a chunk holds at most 32768 sightings): several inserts, so kills land
  // between chunks of the batch; ~3.6 MB, more than SQLite's default 2 MB page cache, so the
  // transaction spills uncommitted pages into the WAL before COMMIT.
  const std::vector<Sighting> added = batch(1, 40000);
  std::vector<Sighting> after = before;
  after.insert(after.end(), added.begin(), added.end());
  KillRound round;
  kill_at_every_point([&](Store& store) { return store.add_sightings(added).status(); },
                      [&](Store& store, bool committed) {
                        std::vector<Sighting> loaded;
                        ASSERT_TRUE(store.load_sightings(&loaded).ok());
                        std::map<uint32_t, size_t> per_batch;
                        for (const Sighting& s : loaded) ++per_batch[batch_of(s)];
                        const std::map<uint32_t, size_t> expected =
                            committed
                                ? std::map<uint32_t, size_t>{{0, before.size()}, {1, added.size()}}
                                : std::map<uint32_t, size_t>{{0, before.size()}};
                        ASSERT_EQ(per_batch, expected) << "sightings per batch";
                        EXPECT_TRUE(sorted(loaded) == sorted(committed ? after : before));
                      },
                      &round);
  // Retention's DELETE, six chunk inserts, the summary.
  EXPECT_EQ(round.writes, 8u);
  EXPECT_GT(round.uncommitted_wal_bytes, 0u)
      << "no kill found uncommitted pages in the WAL: make the batch larger";
  std::printf("ingest killed at %llu points; up to %llu bytes of uncommitted WAL on disk\n",
              static_cast<unsigned long long>(round.writes + 3),
              static_cast<unsigned long long>(round.uncommitted_wal_bytes));
}

// `days` daily keys, today's first.
std::vector<TemporaryExposureKey> daily_keys(uint32_t days) {
  std::vector<TemporaryExposureKey> keys;
  for (uint32_t d = 0; d < days; ++d) {
    keys.push_back(generate_temporary_exposure_key(interval_number(kNow) - d * 144));
  }
  return keys;
}

bool same_keys(const std::vector<TemporaryExposureKey>& a,
               const std::vector<TemporaryExposureKey>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.key_data == y.key_data &&
           x.rolling_start_interval_number == y.rolling_start_interval_number &&
           x.rolling_period == y.rolling_period;
  });
}

TEST_F(StoreCrashTest, KillWhileSavingOwnKeysLeavesTheOldOrTheNewHistory) {
  const std::vector<TemporaryExposureKey> old_keys = daily_keys(14);
  const std::vector<TemporaryExposureKey> new_keys = daily_keys(15);
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_own_keys(old_keys).ok());
  }
  KillRound round;
  kill_at_every_point([&](Store& store) { return store.save_own_keys(new_keys); },
                      [&](Store& store, bool committed) {
                        std::vector<TemporaryExposureKey> loaded;
                        ASSERT_TRUE(store.load_own_keys(&loaded).ok());
                        EXPECT_TRUE(same_keys(loaded, committed ? new_keys : old_keys));
                      },
                      &round);
  // The old record's DELETE, the new record, the summary.
  EXPECT_EQ(round.writes, 3u);
}

// The app's upload and check state (one transaction for both slots, as an app may write them)
// survive a kill -9 whole or not at all.
TEST_F(StoreCrashTest, KillWhileSavingAppStateLeavesTheOldOrTheNewRecords) {
  const std::string old_upload = R"({"revision_token":"old"})", new_upload = R"({"revision_token":"new"})";
  const std::string old_check(5000, 'o'), new_check(9000, 'n');
  auto records = [](const std::string& upload, const std::string& check) {
    return std::vector<AppStateRecord>{{AppStateSlot::kUpload, as_bytes(upload)},
                                       {AppStateSlot::kCheck, as_bytes(check)}};
  };
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_app_state(records(old_upload, old_check)).ok());
  }
  KillRound round;
  kill_at_every_point([&](Store& store) { return store.save_app_state(records(new_upload, new_check)); },
                      [&](Store& store, bool committed) {
                        Bytes upload, check;
                        ASSERT_TRUE(store.load_app_state(AppStateSlot::kUpload, &upload).ok());
                        ASSERT_TRUE(store.load_app_state(AppStateSlot::kCheck, &check).ok());
                        EXPECT_EQ(std::string(upload.begin(), upload.end()), committed ? new_upload : old_upload);
                        EXPECT_EQ(std::string(check.begin(), check.end()), committed ? new_check : old_check);
                      },
                      &round);
  EXPECT_EQ(round.writes, 3u);  // two records and the summary
}

TEST_F(StoreCrashTest, KillDuringKeyRotationLeavesTheStoreUnderOneKey) {
  const std::vector<Sighting> sightings = batch(0, 20000);
  const std::vector<TemporaryExposureKey> keys = daily_keys(14);
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->add_sightings(sightings).ok());
    ASSERT_TRUE(store->save_own_keys(keys).ok());
  }
  const StorageKey new_key = generate_storage_key();
  KillRound round;
  kill_at_every_point([&](Store& store) { return store.rotate_key(new_key); },
                      [&](Store& store, bool) {
                        std::vector<Sighting> loaded;
                        ASSERT_TRUE(store.load_sightings(&loaded).ok());
                        EXPECT_TRUE(sorted(loaded) == sorted(sightings));
                        std::vector<TemporaryExposureKey> loaded_keys;
                        ASSERT_TRUE(store.load_own_keys(&loaded_keys).ok());
                        EXPECT_TRUE(same_keys(loaded_keys, keys));
                      },
                      &round, &new_key);
  // Three chunks re-sealed, the own-key record replaced (DELETE, INSERT), the summary, the
  // key check value.
  EXPECT_EQ(round.writes, 7u);
}

}  // namespace
}  // namespace exposure
