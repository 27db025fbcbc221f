// Day groups: every key comes out exactly once, in a group of one day, in stream order,
// and no more keys wait than the limit allows.
#include "matching/day_batches.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace exposure::matching {
namespace {

PendingKey key_of_day(uint32_t day, uint64_t position) {
  PendingKey p{};
  p.key.rolling_start_interval_number = day * kTekRollingPeriod + static_cast<uint32_t>(position % 7);
  p.stream_position = position;
  return p;
}

// Feeds `days[i]` as the day of key i and checks every group handed out.
void check_groups(const std::vector<uint32_t>& days) {
  DayBatches batches;
  std::set<uint64_t> seen;
  size_t waiting = 0;
  auto take = [&](const std::vector<PendingKey>& group) {
    if (group.empty()) return;
    uint32_t day = group.front().key.rolling_start_interval_number / kTekRollingPeriod;
    for (size_t i = 0; i < group.size(); ++i) {
      ASSERT_EQ(group[i].key.rolling_start_interval_number / kTekRollingPeriod, day);
      if (i > 0) {
        ASSERT_LT(group[i - 1].stream_position, group[i].stream_position);
      }
      ASSERT_TRUE(seen.insert(group[i].stream_position).second) << "key handed out twice";
    }
    ASSERT_LE(group.size(), DayBatches::kKeysPerGroup);
    waiting -= group.size();
  };
  for (uint64_t i = 0; i < days.size(); ++i) {
    ++waiting;
    take(batches.add(key_of_day(days[i], i)));
    ASSERT_LE(waiting, DayBatches::kBufferedKeysLimit);
  }
  for (;;) {
    const auto& group = batches.drain();
    if (group.empty()) break;
    take(group);
  }
  EXPECT_EQ(seen.size(), days.size());
  EXPECT_EQ(waiting, 0u);
}

TEST(DayBatches, FourteenDaysInRandomOrder) {
  std::mt19937 rng(1);
  std::vector<uint32_t> days(200000);
  for (auto& d : days) d = 20000 + rng() % 14;
  check_groups(days);
}

TEST(DayBatches, ManyMoreDaysThanGroups) {
  std::mt19937 rng(2);
  std::vector<uint32_t> days(50000);
  for (auto& d : days) d = rng() % 1000;  // forces the largest group out for new days
  check_groups(days);
}

TEST(DayBatches, OneDayAndEmptyStream) {
  check_groups(std::vector<uint32_t>(3 * DayBatches::kKeysPerGroup + 5, 19000));
  check_groups({});
}

}  // namespace
}  // namespace exposure::matching
