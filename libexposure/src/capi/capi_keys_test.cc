// The C ABI's errors, version, key derivation, Bluetooth payload and key schedule, through the
// shared library.
#include <cstring>
#include <thread>

#include "capi_test_support.h"
#include "support/test_vectors.h"

namespace exposure::capi_test {
namespace {

TEST(CapiBasics, VersionAndAbi) {
  EXPECT_STREQ(exposure_version(), EXPOSURE_EXPECTED_VERSION);
  EXPECT_EQ(exposure_abi_version(), static_cast<uint32_t>(EXPOSURE_ABI_VERSION));
}

TEST(CapiBasics, StatusNames) {
  EXPECT_STREQ(exposure_status_name(EXPOSURE_OK), "ok");
  EXPECT_STREQ(exposure_status_name(EXPOSURE_MALFORMED), "malformed");
  EXPECT_STREQ(exposure_status_name(EXPOSURE_WRONG_KEY), "wrong key");
  EXPECT_STREQ(exposure_status_name(EXPOSURE_INTERNAL), "internal error");
  EXPECT_STREQ(exposure_status_name(static_cast<exposure_status>(99)), "unknown");
}

TEST(CapiBasics, LastErrorIsSetOnFailureClearedOnSuccessAndPerThread) {
  exposure_beacon beacon;
  EXPECT_EQ(exposure_parse_advertising_data(nullptr, 3, &beacon), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "data is NULL but its count is 3");
  std::string other_thread_error = "unset";
  std::thread([&] { other_thread_error = exposure_last_error(); }).join();
  EXPECT_EQ(other_thread_error, "");
  EXPECT_STREQ(exposure_last_error(), "data is NULL but its count is 3");  // still this thread's
  uint8_t metadata[4];
  exposure_metadata m{1, 0, 2, -10};
  EXPECT_C_OK(exposure_encode_metadata(&m, metadata));
  EXPECT_STREQ(exposure_last_error(), "");
}

TEST(CapiBasics, WipeZeroesAndIgnoresNull) {
  uint8_t secret[5] = {1, 2, 3, 4, 5};
  exposure_wipe(secret, 4);
  EXPECT_EQ(to_hex(secret, 5), "0000000005");
  exposure_wipe(nullptr, 16);
  exposure_wipe(secret, 0);
}

TEST(CapiKeys, OfficialTestVectors) {
  testing::OfficialVectors v = testing::load_official_vectors();
  ASSERT_EQ(v.lines.size(), 144u);
  std::vector<uint8_t> tek = from_hex(v.tek), metadata = from_hex(v.metadata);
  for (const testing::VectorLine& line : v.lines) {
    exposure_beacon beacon;
    ASSERT_C_OK(exposure_derive_beacon(tek.data(), tek.size(), line.interval, metadata.data(), metadata.size(), &beacon));
    EXPECT_EQ(to_hex(beacon.rpi, sizeof beacon.rpi), line.rpi_hex) << line.interval;
    EXPECT_EQ(to_hex(beacon.aem, sizeof beacon.aem), line.aem_hex) << line.interval;
    uint8_t decrypted[4];
    ASSERT_C_OK(exposure_decrypt_metadata(tek.data(), tek.size(), &beacon, decrypted));
    EXPECT_EQ(to_hex(decrypted, 4), v.metadata);
  }
}

TEST(CapiKeys, LengthsAreChecked) {
  uint8_t tek[15] = {0}, metadata[4] = {0};
  exposure_beacon beacon;
  EXPECT_EQ(exposure_derive_beacon(tek, sizeof tek, 1, metadata, 4, &beacon), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "tek: expected 16 bytes, got 15");
  EXPECT_EQ(exposure_decode_metadata(metadata, 3, nullptr), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "metadata: expected 4 bytes, got 3");
}

TEST(CapiKeys, MetadataRoundTrip) {
  exposure_metadata m{1, 1, 3, -20}, back{};
  uint8_t bytes[4];
  ASSERT_C_OK(exposure_encode_metadata(&m, bytes));
  EXPECT_EQ(to_hex(bytes, 4), "5cec0000");  // 01 01 11 00, -20
  ASSERT_C_OK(exposure_decode_metadata(bytes, 4, &back));
  EXPECT_EQ(back.major_version, 1);
  EXPECT_EQ(back.minor_version, 1);
  EXPECT_EQ(back.calibration_confidence, 3);
  EXPECT_EQ(back.tx_power_dbm, -20);
}

TEST(CapiBle, BuildAndParseAdvertisingData) {
  exposure_beacon beacon{};
  for (int i = 0; i < 16; ++i) beacon.rpi[i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 4; ++i) beacon.aem[i] = static_cast<uint8_t>(0xa0 + i);
  uint8_t data[EXPOSURE_ADVERTISING_DATA_LENGTH];
  ASSERT_C_OK(exposure_build_advertising_data(&beacon, data));
  EXPECT_EQ(to_hex(data, 11), "0201" "1a" "03036ffd" "17166ffd");
  exposure_beacon parsed{};
  ASSERT_C_OK(exposure_parse_advertising_data(data, sizeof data, &parsed));
  EXPECT_EQ(0, std::memcmp(&parsed, &beacon, sizeof beacon));
}

TEST(CapiBle, MalformedPayloadsAreRejectedWithAReason) {
  uint8_t data[EXPOSURE_ADVERTISING_DATA_LENGTH];
  exposure_beacon beacon{};
  ASSERT_C_OK(exposure_build_advertising_data(&beacon, data));
  exposure_beacon parsed;
  EXPECT_EQ(exposure_parse_advertising_data(data, 20, &parsed), EXPOSURE_MALFORMED);  // cut inside service data
  EXPECT_EQ(std::string(exposure_last_error()).rfind("AD structure at offset 7 claims ", 0), 0u) << exposure_last_error();
  EXPECT_EQ(exposure_parse_advertising_data(data, 7, &parsed), EXPOSURE_NOT_FOUND);  // flags and UUID list only
  EXPECT_STREQ(exposure_last_error(), "no 0xFD6F exposure notification service data");
  EXPECT_EQ(exposure_parse_advertising_data(nullptr, 0, &parsed), EXPOSURE_NOT_FOUND);
}

class CapiKeySchedule : public ::testing::Test {
 protected:
  static constexpr int64_t kDay = 18400;  // a UTC day, in days since the epoch
  static constexpr int64_t kNoon = kDay * 86400 + 12 * 3600 + 125;

  UniqueSchedule make(int64_t now, const std::vector<exposure_tek>& history = {}) {
    exposure_key_schedule_options options;
    exposure_key_schedule_options_init(&options);
    options.now_unix_seconds = now;
    options.metadata.tx_power_dbm = -12;
    exposure_key_schedule* schedule = nullptr;
    EXPECT_C_OK(exposure_key_schedule_new(history.data(), history.size(), &options, &schedule));
    return UniqueSchedule(schedule);
  }
  std::vector<exposure_tek> upload(exposure_key_schedule* schedule) {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    EXPECT_C_OK(exposure_key_schedule_keys_for_upload(schedule, &keys, &count));
    return take_teks(keys, count);
  }
};

TEST_F(CapiKeySchedule, AdvertisesTheCurrentKeysRpiAndRotatesAtTheNextInterval) {
  UniqueSchedule schedule = make(kNoon);
  exposure_tek key;
  ASSERT_C_OK(exposure_key_schedule_current_key(schedule.get(), &key));
  EXPECT_EQ(key.rolling_start_interval_number, kDay * 144);
  EXPECT_EQ(key.rolling_period, 144u);

  exposure_advertisement ad;
  ASSERT_C_OK(exposure_key_schedule_current_advertisement(schedule.get(), &ad));
  EXPECT_EQ(ad.interval, exposure_interval_number(kNoon));
  exposure_metadata metadata{1, 1, 0, -12};
  uint8_t metadata_bytes[4];
  ASSERT_C_OK(exposure_encode_metadata(&metadata, metadata_bytes));
  exposure_beacon expected;
  ASSERT_C_OK(exposure_derive_beacon(key.key_data, 16, ad.interval, metadata_bytes, 4, &expected));
  EXPECT_EQ(0, std::memcmp(&ad.beacon, &expected, sizeof expected));
  exposure_beacon parsed;
  ASSERT_C_OK(exposure_parse_advertising_data(ad.advertising_data, sizeof ad.advertising_data, &parsed));
  EXPECT_EQ(0, std::memcmp(&parsed, &expected, sizeof expected));

  int64_t rotation = 0;
  ASSERT_C_OK(exposure_key_schedule_next_rotation(schedule.get(), &rotation));
  EXPECT_EQ(rotation, (int64_t{ad.interval} + 1) * 600);
  ASSERT_C_OK(exposure_key_schedule_set_time(schedule.get(), rotation));
  exposure_advertisement next;
  ASSERT_C_OK(exposure_key_schedule_current_advertisement(schedule.get(), &next));
  EXPECT_EQ(next.interval, ad.interval + 1);
  EXPECT_NE(0, std::memcmp(&next.beacon, &ad.beacon, sizeof ad.beacon));
}

TEST_F(CapiKeySchedule, YesterdaysKeyIsUploadableTodaysOnlyAfterSameDayRelease) {
  UniqueSchedule schedule = make(kNoon);
  exposure_tek first;
  ASSERT_C_OK(exposure_key_schedule_current_key(schedule.get(), &first));
  EXPECT_TRUE(upload(schedule.get()).empty());

  ASSERT_C_OK(exposure_key_schedule_set_time(schedule.get(), kNoon + 86400));
  exposure_tek second;
  ASSERT_C_OK(exposure_key_schedule_current_key(schedule.get(), &second));
  EXPECT_EQ(second.rolling_start_interval_number, first.rolling_start_interval_number + 144);
  std::vector<exposure_tek> keys = upload(schedule.get());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(0, std::memcmp(keys[0].key_data, first.key_data, 16));

  ASSERT_C_OK(exposure_key_schedule_release_current_key(schedule.get()));
  keys = upload(schedule.get());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(0, std::memcmp(keys[1].key_data, second.key_data, 16));
  EXPECT_EQ(keys[1].rolling_period, exposure_interval_number(kNoon + 86400) - second.rolling_start_interval_number + 1);
  ASSERT_C_OK(exposure_key_schedule_release_current_key(schedule.get()));
  EXPECT_EQ(exposure_key_schedule_release_current_key(schedule.get()), EXPOSURE_FAILED_PRECONDITION);
  EXPECT_NE(std::string(exposure_last_error()).find("at most 3 keys"), std::string::npos) << exposure_last_error();

  exposure_tek* history = nullptr;
  size_t count = 0;
  ASSERT_C_OK(exposure_key_schedule_history(schedule.get(), &history, &count));
  std::vector<exposure_tek> kept = take_teks(history, count);
  EXPECT_EQ(kept.size(), 4u);  // yesterday's key, and today's original plus two releases
}

TEST_F(CapiKeySchedule, ResumesFromAPersistedHistory) {
  UniqueSchedule first = make(kNoon);
  exposure_tek key;
  ASSERT_C_OK(exposure_key_schedule_current_key(first.get(), &key));
  UniqueSchedule resumed = make(kNoon + 3600, {key});
  exposure_tek same;
  ASSERT_C_OK(exposure_key_schedule_current_key(resumed.get(), &same));
  EXPECT_EQ(0, std::memcmp(same.key_data, key.key_data, 16));
}

TEST_F(CapiKeySchedule, RejectsAnInvalidHistory) {
  exposure_tek bad{};
  bad.rolling_start_interval_number = kDay * 144;
  bad.rolling_period = 0;
  exposure_key_schedule* schedule = nullptr;
  EXPECT_EQ(exposure_key_schedule_new(&bad, 1, nullptr, &schedule), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "history[0]: rolling_period 0 out of range 1..144");
  EXPECT_EQ(schedule, nullptr);
  EXPECT_EQ(exposure_key_schedule_new(nullptr, 2, nullptr, &schedule), EXPOSURE_INVALID_ARGUMENT);
  exposure_key_schedule_options options;
  exposure_key_schedule_options_init(&options);
  options.history_days = 100000;
  EXPECT_EQ(exposure_key_schedule_new(nullptr, 0, &options, &schedule), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "history_days 100000 out of range 0..3650");
  EXPECT_EQ(exposure_key_schedule_current_key(nullptr, &bad), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "schedule is NULL");
  exposure_key_schedule_free(nullptr);  // accepted
}

}  // namespace
}  // namespace exposure::capi_test
