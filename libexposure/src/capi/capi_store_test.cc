// The encrypted store and sightings CSV through the C ABI.
#include <algorithm>
#include <cstring>
#include <fstream>

#include "capi_test_support.h"
#include "support/temp_dir.h"

namespace exposure::capi_test {
namespace {

class CapiStore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_C_OK(exposure_generate_storage_key(key_, sizeof key_));
    directory_ = dir_.file("store");
  }
  UniqueStore open(const uint8_t* key, int64_t now, exposure_status expected = EXPOSURE_OK, bool create = true) {
    exposure_store_options options;
    exposure_store_options_init(&options);
    options.now_unix_seconds = now;
    options.create_if_missing = create ? 1 : 0;
    exposure_store* store = nullptr;
    EXPECT_EQ(exposure_store_open(directory_.c_str(), key, 32, &options, &store), expected) << exposure_last_error();
    return UniqueStore(store);
  }
  std::vector<exposure_sighting> load(exposure_store* store) {
    exposure_sighting* sightings = nullptr;
    size_t count = 0;
    EXPECT_C_OK(exposure_store_load_sightings(store, &sightings, &count));
    return take_sightings(sightings, count);
  }

  testing::TempDir dir_;
  std::string directory_;
  uint8_t key_[32];
};

bool same(const exposure_sighting& a, const exposure_sighting& b) {
  return std::memcmp(&a.beacon, &b.beacon, sizeof a.beacon) == 0 && a.time == b.time &&
         a.previous_scan_time == b.previous_scan_time && a.rssi == b.rssi;
}

TEST_F(CapiStore, StoresSightingsAndOwnKeysEncryptedAndCountsThem) {
  std::vector<exposure_sighting> contact = server_example_contact();
  const int64_t now = server_example_now();
  {
    UniqueStore store = open(key_, now);
    exposure_ingest_report report{};
    ASSERT_C_OK(exposure_store_add_sightings(store.get(), contact.data(), contact.size(), &report));
    EXPECT_EQ(report.stored, contact.size());
    EXPECT_EQ(report.expired, 0u);
    exposure_tek own{};
    own.key_data[0] = 7;
    own.rolling_start_interval_number = 2650000;
    own.rolling_period = 144;
    ASSERT_C_OK(exposure_store_save_own_keys(store.get(), &own, 1));
  }
  UniqueStore store = open(key_, now);
  std::vector<exposure_sighting> loaded = load(store.get());
  ASSERT_EQ(loaded.size(), contact.size());
  for (const exposure_sighting& s : contact) {
    EXPECT_TRUE(std::any_of(loaded.begin(), loaded.end(), [&](const exposure_sighting& l) { return same(l, s); }));
  }
  exposure_tek* keys = nullptr;
  size_t key_count = 0;
  ASSERT_C_OK(exposure_store_load_own_keys(store.get(), &keys, &key_count));
  std::vector<exposure_tek> own = take_teks(keys, key_count);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].key_data[0], 7);
  EXPECT_EQ(own[0].rolling_start_interval_number, 2650000u);

  exposure_store_stats stats{};
  ASSERT_C_OK(exposure_store_stats_get(store.get(), &stats));
  EXPECT_EQ(stats.sightings, contact.size());
  EXPECT_EQ(stats.own_keys, 1u);
  EXPECT_EQ(stats.days_covered, 1u);
  EXPECT_EQ(stats.first_day, contact[0].time / 86400);
  EXPECT_EQ(stats.last_day, stats.first_day);
  EXPECT_GT(stats.database_bytes, 0u);
  // Nothing on disk shows an RPI.
  std::string file = read_file(directory_ + "/store.db") + read_file(directory_ + "/store.db-wal");
  EXPECT_EQ(file.find(std::string(reinterpret_cast<const char*>(contact[0].beacon.rpi), 16)), std::string::npos);
}

TEST_F(CapiStore, RetentionFollowsTheInjectedTime) {
  std::vector<exposure_sighting> contact = server_example_contact();
  UniqueStore store = open(key_, server_example_now());
  ASSERT_C_OK(exposure_store_add_sightings(store.get(), contact.data(), contact.size(), nullptr));
  ASSERT_C_OK(exposure_store_set_time(store.get(), server_example_now() + 20 * 86400));
  EXPECT_TRUE(load(store.get()).empty());
  exposure_ingest_report report{};
  ASSERT_C_OK(exposure_store_add_sightings(store.get(), contact.data(), contact.size(), &report));
  EXPECT_EQ(report.stored, 0u);
  EXPECT_EQ(report.expired, contact.size());
}

TEST_F(CapiStore, WrongKeyRotationAndWipe) {
  { UniqueStore store = open(key_, server_example_now()); }
  uint8_t other[32];
  ASSERT_C_OK(exposure_generate_storage_key(other, sizeof other));
  EXPECT_EQ(open(other, server_example_now(), EXPOSURE_WRONG_KEY), nullptr);
  {
    UniqueStore store = open(key_, server_example_now());
    ASSERT_C_OK(exposure_store_rotate_key(store.get(), other, sizeof other));
  }
  open(key_, server_example_now(), EXPOSURE_WRONG_KEY);
  { UniqueStore store = open(other, server_example_now()); }
  ASSERT_C_OK(exposure_store_wipe(directory_.c_str()));
  EXPECT_EQ(open(other, server_example_now(), EXPOSURE_NOT_FOUND, /*create=*/false), nullptr);
}

TEST_F(CapiStore, BadArgumentsAreNamed) {
  exposure_store* store = nullptr;
  EXPECT_EQ(exposure_store_open(directory_.c_str(), key_, 16, nullptr, &store), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "key: expected 32 bytes, got 16");
  EXPECT_EQ(exposure_store_open(nullptr, key_, 32, nullptr, &store), EXPOSURE_INVALID_ARGUMENT);
  EXPECT_STREQ(exposure_last_error(), "directory is NULL");
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(exposure_store_add_sightings(nullptr, nullptr, 0, nullptr), EXPOSURE_INVALID_ARGUMENT);
  exposure_store_close(nullptr);  // accepted
}

TEST(CapiSightingsCsv, RoundTripAndLineNumbers) {
  std::vector<exposure_sighting> contact = server_example_contact();
  char* csv = nullptr;
  ASSERT_C_OK(exposure_sightings_to_csv(contact.data(), contact.size(), &csv));
  UniqueString text(csv);
  EXPECT_EQ(std::string(csv).substr(0, 36), "rpi,aem,time,rssi,previous_scan_time");
  exposure_sighting* parsed = nullptr;
  size_t count = 0;
  ASSERT_C_OK(exposure_sightings_from_csv(csv, std::strlen(csv), &parsed, &count));
  std::vector<exposure_sighting> back = take_sightings(parsed, count);
  ASSERT_EQ(back.size(), contact.size());
  for (size_t i = 0; i < back.size(); ++i) EXPECT_TRUE(same(back[i], contact[i])) << i;

  const std::string bad = "rpi,aem,time,rssi\n" + to_hex(contact[0].beacon.rpi, 16) + ",c29211b1,1585785600,-300\n";
  EXPECT_EQ(exposure_sightings_from_csv(bad.data(), bad.size(), &parsed, &count), EXPOSURE_MALFORMED);
  EXPECT_EQ(std::string(exposure_last_error()).rfind("line 2: ", 0), 0u) << exposure_last_error();

  testing::TempDir dir;
  std::ofstream(dir.file("s.csv")) << csv;
  ASSERT_C_OK(exposure_sightings_from_csv_file(dir.file("s.csv").c_str(), &parsed, &count));
  EXPECT_EQ(take_sightings(parsed, count).size(), contact.size());
  EXPECT_EQ(exposure_sightings_from_csv_file(dir.file("missing.csv").c_str(), &parsed, &count), EXPOSURE_IO_ERROR);
  EXPECT_NE(std::string(exposure_last_error()).find("missing.csv"), std::string::npos);
}

}  // namespace
}  // namespace exposure::capi_test
