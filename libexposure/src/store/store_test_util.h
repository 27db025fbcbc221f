// Shared set-up of the store tests: a temporary directory, a manual clock and a key.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "exposure/store.h"
#include "store/chunk_codec.h"
#include "support/sighting_generator.h"
#include "support/temp_dir.h"

namespace exposure::testing {

// 2020-04-06T12:00Z: noon of UTC day 18358.
inline constexpr int64_t kNow = 1586174400;
inline constexpr uint32_t kToday = 18358;

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open_store() { return open_with(key_); }

  std::unique_ptr<Store> open_with(const StorageKey& key) {
    auto store = Store::open(dir_.path(), key, options());
    EXPECT_TRUE(store.ok()) << store.status().to_string();
    return store.ok() ? std::move(*store) : nullptr;
  }

  Status open_error(const StorageKey& key) {
    auto store = Store::open(dir_.path(), key, options());
    return store.ok() ? Status::Ok() : store.status();
  }

  // The options every test opens the store with (the manual clock).
  StoreOptions options() {
    StoreOptions options;
    options.clock = &clock_;
    return options;
  }

  std::string db_path() const { return store_database_path(dir_.path()); }

  TempDir dir_;
  ManualClock clock_{kNow};
  StorageKey key_ = generate_storage_key();
};

// `count` sightings of the previous three days (all within retention at kNow).
inline std::vector<Sighting> recent_sightings(uint32_t devices, uint32_t scans, uint64_t seed = 1) {
  ScanPattern pattern;
  pattern.first_scan_time = kNow - 3 * 86400;
  pattern.scans = scans;
  pattern.devices_per_scan = devices;
  pattern.seed = seed;
  return simulate_scans(pattern);
}

inline std::vector<Sighting> sorted(std::vector<Sighting> v) {
  std::sort(v.begin(), v.end(), store_internal::encoding_order);
  return v;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

}  // namespace exposure::testing
