// A process killed (SIGKILL) while importing leaves a store that opens and holds only whole
// batches.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "exposure/store.h"
#include "store/store_test_util.h"

namespace exposure {
namespace {

using testing::kNow;
using testing::StoreTest;

constexpr uint32_t kBatchSize = 20000;

// Batch `b`: kBatchSize sightings whose RPI starts with b (big-endian), spread over the last
// two days.
std::vector<Sighting> batch(uint32_t b) {
  std::vector<Sighting> out(kBatchSize);
  for (uint32_t i = 0; i < kBatchSize; ++i) {
    Sighting& s = out[i];
    for (int k = 0; k < 4; ++k) s.rpi[k] = static_cast<uint8_t>(b >> (24 - 8 * k));
    for (int k = 0; k < 4; ++k) s.rpi[4 + k] = static_cast<uint8_t>(i >> (8 * k));
    s.time = static_cast<uint32_t>(kNow - 2 * 86400 + i * 7);
    s.rssi = static_cast<int8_t>(-40 - static_cast<int>(i % 60));
  }
  return out;
}

uint32_t batch_of(const Sighting& s) {
  return uint32_t{s.rpi[0]} << 24 | uint32_t{s.rpi[1]} << 16 | uint32_t{s.rpi[2]} << 8 | s.rpi[3];
}

// Runs a child that appends batches starting at `first` forever, writing 's' to a pipe just
// before each add_sightings and 'c' after it returned; kills it `delay_us` after it reported
// `commits` committed batches. `*inside` tells whether the kill hit inside add_sightings.
void import_and_kill(const std::string& directory, const StorageKey& key, uint32_t first,
                     int commits, useconds_t delay_us, bool* inside) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: no gtest, no destructors (_exit only).
    close(pipe_fds[0]);
    ManualClock clock(kNow);
    StoreOptions options;
    options.clock = &clock;
    auto store = Store::open(directory, key, options);
    if (!store.ok()) _exit(2);
    for (uint32_t b = first;; ++b) {
      const auto sightings = batch(b);
      if (write(pipe_fds[1], "s", 1) != 1) _exit(4);
      if (!(*store)->add_sightings(sightings).ok()) _exit(3);
      if (write(pipe_fds[1], "c", 1) != 1) _exit(4);
    }
  }
  close(pipe_fds[1]);
  char c = 0;
  int seen = 0;
  while (seen < commits && read(pipe_fds[0], &c, 1) == 1) seen += c == 'c';
  if (delay_us > 0) usleep(delay_us);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  while (read(pipe_fds[0], &c, 1) == 1) {
  }
  close(pipe_fds[0]);
  *inside = c == 's';
  ASSERT_EQ(seen, commits) << "child exited early with status " << status;
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
}

TEST_F(StoreTest, ProcessKilledMidImportLeavesOnlyWholeBatches) {
  uint32_t next_batch = 0;
  int expected_at_least = 0;
  int killed_inside = 0;
  for (useconds_t delay : {500u, 2000u, 3500u}) {
    bool inside = false;
    import_and_kill(dir_.path(), key_, next_batch, 2, delay, &inside);
    killed_inside += inside;
    expected_at_least += 2;

    auto store = open_store();
    ASSERT_TRUE(store);
    std::vector<Sighting> loaded;
    Status s = store->load_sightings(&loaded);
    ASSERT_TRUE(s.ok()) << s.to_string();
    std::map<uint32_t, size_t> per_batch;
    for (const Sighting& sighting : loaded) ++per_batch[batch_of(sighting)];
    EXPECT_GE(per_batch.size(), static_cast<size_t>(expected_at_least));
    uint32_t expected_batch = 0;
    for (auto [b, count] : per_batch) {
      EXPECT_EQ(b, expected_batch++) << "batches are committed in order";
      EXPECT_EQ(count, kBatchSize) << "batch " << b << " is partial";
    }
    EXPECT_EQ(store->stats()->sightings, loaded.size());
    next_batch = static_cast<uint32_t>(per_batch.size());
    expected_at_least = static_cast<int>(per_batch.size());
  }
  // The child spends nearly all its time inside add_sightings, so the kills land there.
  EXPECT_GE(killed_inside, 1) << "no kill hit a batch in progress";
}

}  // namespace
}  // namespace exposure
