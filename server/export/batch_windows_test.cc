#include "export/batch_windows.h"

#include <gtest/gtest.h>

namespace exposure::server {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

TEST(BatchWindows, PeriodMustDivideADay) {
  EXPECT_TRUE(check_export_period(kHour).ok());
  EXPECT_TRUE(check_export_period(15 * 60).ok());
  EXPECT_TRUE(check_export_period(kDay).ok());
  EXPECT_FALSE(check_export_period(7 * kHour).ok());
  EXPECT_FALSE(check_export_period(0).ok());
  EXPECT_FALSE(check_export_period(2 * kDay).ok());
}

TEST(BatchWindows, FirstRunTakesOnlyTheMostRecentCompleteWindow) {
  const int64_t now = 100 * kDay + 15 * kHour + 20 * 60;  // 15:20
  auto w = due_windows(std::nullopt, now, kHour, 2 * kHour, kHour, 0, 100);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], (BatchWindow{100 * kDay + 12 * kHour, 100 * kDay + 13 * kHour}));
}

TEST(BatchWindows, LaterRunsCatchUpWindowByWindow) {
  const int64_t day = 100 * kDay;
  auto w = due_windows(day + 10 * kHour, day + 15 * kHour + 20 * 60, kHour, 2 * kHour, kHour, 0, 100);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w.front(), (BatchWindow{day + 10 * kHour, day + 11 * kHour}));
  EXPECT_EQ(w.back(), (BatchWindow{day + 12 * kHour, day + 13 * kHour}));
  // Not yet due: a window ending at 14:00 needs now >= 16:00.
  EXPECT_TRUE(due_windows(day + 13 * kHour, day + 15 * kHour + 59 * 60, kHour, 2 * kHour, kHour, 0, 100).empty());
  // Four-hour windows are aligned to multiples of four hours.
  auto four = due_windows(day, day + 14 * kHour, 4 * kHour, 2 * kHour, kHour, 0, 100);
  ASSERT_EQ(four.size(), 3u);
  EXPECT_EQ(four.back(), (BatchWindow{day + 8 * kHour, day + 12 * kHour}));
  // Bounded by max_windows and by not_before.
  EXPECT_EQ(due_windows(day, day + 20 * kHour, kHour, 2 * kHour, kHour, 0, 5).size(), 5u);
  auto recent = due_windows(day - 30 * kDay, day + 3 * kHour, kHour, 2 * kHour, kHour, day - kHour, 1000);
  ASSERT_FALSE(recent.empty());
  EXPECT_EQ(recent.front().start, day - kHour);
}

TEST(BatchWindows, FileNames) {
  EXPECT_EQ(export_file_name(1590159600, 1590246000, 1), "1590159600-1590246000-00001.zip");
  EXPECT_EQ(export_file_name(0, 3600, 12), "0-3600-00012.zip");
}

}  // namespace
}  // namespace exposure::server
