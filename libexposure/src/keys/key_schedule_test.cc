#include "exposure/key_schedule.h"

#include <gtest/gtest.h>

namespace exposure {
namespace {

constexpr int64_t kMidnight = 1585785600;  // 2020-04-02T00:00Z, interval 2642976

TEST(KeySchedule, GeneratesAlignedKeyAndKeepsItAllDay) {
  ManualClock clock(kMidnight + 3600);
  KeySchedule schedule(clock, {});
  KeyData first = schedule.current_key().key_data.array();
  EXPECT_EQ(schedule.current_key().rolling_start_interval_number, 2642976u);
  clock.set(kMidnight + kSecondsPerDay - 1);
  EXPECT_EQ(schedule.current_key().key_data.array(), first);
  EXPECT_EQ(schedule.history().size(), 1u);
}

TEST(KeySchedule, RollsAtUtcMidnight) {
  ManualClock clock(kMidnight + kSecondsPerDay - 1);
  KeySchedule schedule(clock, {});
  KeyData before = schedule.current_key().key_data.array();
  clock.advance(1);
  const auto& after = schedule.current_key();
  EXPECT_NE(after.key_data.array(), before);
  EXPECT_EQ(after.rolling_start_interval_number, 2642976u + 144);
  EXPECT_EQ(schedule.history().size(), 2u);
  // Yesterday's key is now uploadable, today's is not.
  auto upload = schedule.keys_for_upload();
  ASSERT_EQ(upload.size(), 1u);
  EXPECT_EQ(upload[0].key_data.array(), before);
}

TEST(KeySchedule, AdvertisementChangesEveryIntervalAndDecrypts) {
  ManualClock clock(kMidnight + 10);
  KeyScheduleOptions options;
  options.metadata.tx_power_dbm = -12;
  KeySchedule schedule(clock, {}, options);
  Advertisement a = schedule.current_advertisement();
  EXPECT_EQ(schedule.next_rotation_unix_seconds(), kMidnight + 600);
  clock.set(kMidnight + 600);
  Advertisement b = schedule.current_advertisement();
  EXPECT_EQ(b.interval, a.interval + 1);
  EXPECT_NE(a.rpi, b.rpi);
  KeyData tek = schedule.current_key().key_data.array();
  EXPECT_EQ(rolling_proximity_id(derive_rpi_key(tek), b.interval), b.rpi);
  auto metadata = BluetoothMetadata::decode(decrypt_metadata(derive_aem_key(tek), b.rpi, b.aem));
  EXPECT_EQ(metadata.tx_power_dbm, -12);
  auto parsed = parse_advertising_data(b.advertising_data);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->rpi, b.rpi);
}

TEST(KeySchedule, KeepsFourteenDaysOfHistory) {
  ManualClock clock(kMidnight);
  KeySchedule schedule(clock, {});
  for (int day = 0; day < 20; ++day) {
    schedule.current_key();
    clock.advance(kSecondsPerDay);
  }
  schedule.current_key();
  // Today plus the 14 previous days.
  EXPECT_EQ(schedule.history().size(), 15u);
  EXPECT_EQ(schedule.keys_for_upload().size(), 14u);
  EXPECT_EQ(schedule.history().front().rolling_start_interval_number,
            interval_number(clock.now_unix_seconds()) - 14 * 144);
}

TEST(KeySchedule, RestoresPersistedHistory) {
  ManualClock clock(kMidnight + 7200);
  std::vector<TemporaryExposureKey> saved;
  {
    KeySchedule first(clock, {});
    first.current_key();
    saved = first.history();
  }
  KeySchedule second(clock, saved);
  EXPECT_EQ(second.current_key().key_data.array(), saved[0].key_data.array());
}

TEST(KeySchedule, SameDayReleaseShortensKeyAndStartsNewOneWithSameStart) {
  ManualClock clock(kMidnight + 3 * 3600 + 30);  // interval start + 18
  KeySchedule schedule(clock, {});
  KeyData original = schedule.current_key().key_data.array();
  Advertisement before = schedule.current_advertisement();
  EXPECT_TRUE(schedule.keys_for_upload().empty());

  ASSERT_TRUE(schedule.release_current_key().ok());
  auto upload = schedule.keys_for_upload();
  ASSERT_EQ(upload.size(), 1u);
  EXPECT_EQ(upload[0].key_data.array(), original);
  EXPECT_EQ(upload[0].rolling_start_interval_number, 2642976u);
  EXPECT_EQ(upload[0].rolling_period, 19u);  // intervals 0..18 were broadcast with it

  const auto& next = schedule.current_key();
  EXPECT_NE(next.key_data.array(), original);
  EXPECT_EQ(next.rolling_start_interval_number, 2642976u);
  EXPECT_EQ(next.rolling_period, 144u);
  EXPECT_NE(schedule.current_advertisement().rpi, before.rpi);

  ASSERT_TRUE(schedule.release_current_key().ok());
  auto third = schedule.release_current_key();
  EXPECT_FALSE(third.ok());
  EXPECT_EQ(third.code(), ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace exposure
