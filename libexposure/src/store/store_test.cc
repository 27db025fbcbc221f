#include "exposure/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <unordered_set>

#include "store/store_test_util.h"

namespace exposure {
namespace {

using testing::kNow;
using testing::kToday;
using testing::read_file;
using testing::sorted;
using testing::StoreTest;

// Counts 4-byte windows of `data` that read (little- or big-endian) as a time in [lo, hi].
size_t count_time_like_words(const std::string& data, uint32_t lo, uint32_t hi) {
  size_t count = 0;
  for (size_t i = 0; i + 4 <= data.size(); ++i) {
    const auto* p = reinterpret_cast<const uint8_t*>(data.data() + i);
    const uint32_t le = p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24;
    const uint32_t be = p[3] | p[2] << 8 | p[1] << 16 | uint32_t{p[0]} << 24;
    count += (le >= lo && le <= hi) + (be >= lo && be <= hi);
  }
  return count;
}

// True when `pattern` occurs in `data` at any stride 1..8 (pattern[k] at p + k * stride).
bool contains_strided(const std::string& data, const std::vector<uint8_t>& pattern) {
  for (size_t stride = 1; stride <= 8; ++stride) {
    const size_t span = (pattern.size() - 1) * stride + 1;
    for (size_t p = 0; p + span <= data.size(); ++p) {
      size_t k = 0;
      while (k < pattern.size() && static_cast<uint8_t>(data[p + k * stride]) == pattern[k]) ++k;
      if (k == pattern.size()) return true;
    }
  }
  return false;
}

// Checks that no RPI, no TEK, no run of RSSIs and (statistically) no time appears in `file`.
void expect_reveals_nothing(const std::string& file, const std::vector<Sighting>& sightings,
                            const std::vector<uint8_t>& rssi_run, const KeyData& tek) {
  const std::string data = read_file(file);
  ASSERT_GT(data.size(), 0u) << file;
  std::unordered_set<std::string_view> rpis;
  for (const Sighting& s : sightings) {
    rpis.insert({reinterpret_cast<const char*>(s.rpi.data()), s.rpi.size()});
  }
  size_t rpi_hits = 0;
  for (size_t i = 0; i + 16 <= data.size(); ++i) rpi_hits += rpis.count({data.data() + i, 16});
  EXPECT_EQ(rpi_hits, 0u) << file;
  EXPECT_EQ(data.find(std::string_view(reinterpret_cast<const char*>(tek.data()), tek.size())),
            std::string::npos);
  EXPECT_FALSE(contains_strided(data, rssi_run)) << file;
  // Random bytes read as a time in this 4-day range about size * 2 * 4e5 / 2^32 times
  // (~650 for 3.5 MB); stored times would add one or two per sighting.
  uint32_t lo = UINT32_MAX, hi = 0;
  for (const Sighting& s : sightings) {
    lo = std::min(lo, s.time);
    hi = std::max(hi, s.time);
  }
  const size_t expected_by_chance = data.size() * 2 * (hi - lo + 1.0) / 4294967296.0;
  EXPECT_LT(count_time_like_words(data, lo, hi), 3 * expected_by_chance + 100) << file;
}

TEST_F(StoreTest, RoundTripOf100000SightingsRevealsNothingOnDisk) {
  // 1000 scans x 25 devices x 4 advertisements, three to six days old.
  auto sightings = testing::recent_sightings(25, 1000);
  ASSERT_EQ(sightings.size(), 100000u);
  // One RPI seen 40 times, a second apart, with a distinctive run of RSSIs.
  std::vector<uint8_t> rssi_run;
  for (int k = 0; k < 40; ++k) {
    Sighting s;
    s.rpi.fill(0xAB);
    s.time = static_cast<uint32_t>(kNow - 7200 + k);
    s.rssi = static_cast<int8_t>(-41 - k);
    rssi_run.push_back(static_cast<uint8_t>(s.rssi));
    sightings[k] = s;  // replaces 40 generated ones, keeping the count
  }
  TemporaryExposureKey tek = generate_temporary_exposure_key(interval_number(kNow));

  auto store = open_store();
  ASSERT_TRUE(store);
  for (size_t begin = 0; begin < sightings.size(); begin += 10000) {
    auto report = store->add_sightings(std::span(sightings).subspan(begin, 10000));
    ASSERT_TRUE(report.ok()) << report.status().to_string();
    EXPECT_EQ(report->stored, 10000u);
    EXPECT_EQ(report->expired, 0u);
  }
  ASSERT_TRUE(store->save_own_keys(std::span(&tek, 1)).ok());

  std::vector<Sighting> loaded;
  ASSERT_TRUE(store->load_sightings(&loaded).ok());
  EXPECT_EQ(loaded.size(), 100000u);
  EXPECT_EQ(loaded.capacity(), 100000u);  // reserved once from the summary
  EXPECT_EQ(sorted(loaded), sorted(sightings));

  auto stats = store->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->sightings, 100000u);
  EXPECT_EQ(stats->own_keys, 1u);
  uint64_t per_day_total = 0;
  for (auto [day, n] : stats->sightings_per_day) per_day_total += n;
  EXPECT_EQ(per_day_total, 100000u);
  EXPECT_EQ(stats->sightings_per_day.begin()->first, kToday - 3);

  const std::string wal = db_path() + "-wal";
  ASSERT_GT(std::filesystem::file_size(wal), 1000000u);  // the batches are in the WAL now
  expect_reveals_nothing(wal, sightings, rssi_run, tek.key_data.array());
  expect_reveals_nothing(db_path(), sightings, rssi_run, tek.key_data.array());
  store.reset();  // the last connection checkpoints the WAL into the database file
  EXPECT_FALSE(std::filesystem::exists(wal));
  EXPECT_GT(std::filesystem::file_size(db_path()), 500000u);
  expect_reveals_nothing(db_path(), sightings, rssi_run, tek.key_data.array());

  store = open_store();
  std::vector<Sighting> reloaded;
  ASSERT_TRUE(store->load_sightings(&reloaded).ok());
  EXPECT_EQ(reloaded, loaded);
}

TEST_F(StoreTest, LoadAppendsAndForEachVisitsTheSameSightings) {
  auto sightings = testing::recent_sightings(5, 20);
  auto store = open_store();
  ASSERT_TRUE(store->add_sightings(sightings).ok());
  std::vector<Sighting> loaded(1);
  ASSERT_TRUE(store->load_sightings(&loaded).ok());
  ASSERT_EQ(loaded.size(), sightings.size() + 1);
  std::vector<Sighting> visited;
  ASSERT_TRUE(store->for_each_sighting([&](const Sighting& s) { visited.push_back(s); }).ok());
  EXPECT_EQ(visited, std::vector<Sighting>(loaded.begin() + 1, loaded.end()));
  EXPECT_EQ(sorted(visited), sorted(sightings));
}

TEST_F(StoreTest, EmptyStoreAndEmptyBatch) {
  auto store = open_store();
  ASSERT_TRUE(store->add_sightings({}).ok());
  std::vector<Sighting> loaded;
  ASSERT_TRUE(store->load_sightings(&loaded).ok());
  EXPECT_TRUE(loaded.empty());
  std::vector<TemporaryExposureKey> keys(1);
  ASSERT_TRUE(store->load_own_keys(&keys).ok());
  EXPECT_TRUE(keys.empty());
  auto stats = store->stats();
  EXPECT_EQ(stats->sightings, 0u);
  EXPECT_EQ(stats->chunks, 0u);
}

TEST_F(StoreTest, RetentionKeepsFourteenDaysBeforeToday) {
  const int64_t midnight = int64_t{kToday} * 86400;
  auto at_day = [&](int days_ago, uint8_t tag) {
    Sighting s;
    s.rpi.fill(tag);
    s.time = static_cast<uint32_t>(midnight - int64_t{days_ago} * 86400 + 60);
    return s;
  };
  std::vector<Sighting> batch = {at_day(15, 15), at_day(14, 14), at_day(1, 1), at_day(0, 0)};
  auto store = open_store();
  auto report = store->add_sightings(batch);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->stored, 3u);
  EXPECT_EQ(report->expired, 1u);  // day today-15 is already gone

  auto tags = [&] {
    std::vector<Sighting> loaded;
    EXPECT_TRUE(store->load_sightings(&loaded).ok());
    std::vector<int> out;
    for (const auto& s : loaded) out.push_back(s.rpi[0]);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(tags(), (std::vector<int>{0, 1, 14}));
  clock_.set(midnight + 86400 - 1);  // last second of today: day today-14 still kept
  EXPECT_EQ(tags(), (std::vector<int>{0, 1, 14}));
  clock_.set(midnight + 86400);  // tomorrow: it is now 15 days old
  EXPECT_EQ(tags(), (std::vector<int>{0, 1}));
  EXPECT_EQ(store->stats()->sightings, 2u);
  EXPECT_EQ(store->stats()->sightings_per_day.count(kToday - 14), 0u);

  // Opening removes expired days too.
  store.reset();
  clock_.set(midnight + 14 * 86400);  // today's sightings are now 14 days old
  store = open_store();
  EXPECT_EQ(store->stats()->sightings, 1u);
  EXPECT_EQ(tags(), (std::vector<int>{0}));
}

TEST_F(StoreTest, OwnKeysRoundTripAndReplace) {
  auto store = open_store();
  std::vector<TemporaryExposureKey> keys;
  for (uint32_t d = 0; d < 15; ++d) {
    keys.push_back(generate_temporary_exposure_key(interval_number(kNow) - d * 144));
  }
  keys[3].rolling_period = 70;
  ASSERT_TRUE(store->save_own_keys(keys).ok());
  std::vector<TemporaryExposureKey> loaded;
  ASSERT_TRUE(store->load_own_keys(&loaded).ok());
  ASSERT_EQ(loaded.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(loaded[i].key_data, keys[i].key_data);
    EXPECT_EQ(loaded[i].rolling_start_interval_number, keys[i].rolling_start_interval_number);
    EXPECT_EQ(loaded[i].rolling_period, keys[i].rolling_period);
  }
  ASSERT_TRUE(store->save_own_keys(std::span(keys).first(2)).ok());
  store.reset();
  store = open_store();
  ASSERT_TRUE(store->load_own_keys(&loaded).ok());
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[1].key_data, keys[1].key_data);
  EXPECT_EQ(store->stats()->own_keys, 2u);

  keys[0].rolling_period = 0;
  Status bad = store->save_own_keys(keys);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("own key 0: rolling_period 0 out of range 1..144"),
            std::string::npos);
  ASSERT_TRUE(store->load_own_keys(&loaded).ok());
  EXPECT_EQ(loaded.size(), 2u);  // unchanged
}

TEST_F(StoreTest, WrongKeyIsReportedAtOpen) {
  auto store = open_store();
  ASSERT_TRUE(store->add_sightings(testing::recent_sightings(2, 2)).ok());
  store.reset();
  Status s = open_error(generate_storage_key());
  EXPECT_EQ(s.code(), ErrorCode::kWrongKey);
  EXPECT_NE(s.message().find("does not open this store"), std::string::npos) << s.message();
  EXPECT_TRUE(open_error(key_).ok());
}

TEST_F(StoreTest, RotateKeyReencryptsEverythingAndLeavesNoOldRecord) {
  auto sightings = testing::recent_sightings(10, 50);
  auto store = open_store();
  ASSERT_TRUE(store->add_sightings(sightings).ok());
  TemporaryExposureKey tek = generate_temporary_exposure_key(interval_number(kNow));
  ASSERT_TRUE(store->save_own_keys(std::span(&tek, 1)).ok());
  store.reset();

  // The nonces (first 24 bytes) of every sealed record under the old key.
  std::vector<std::string> old_nonces;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT sealed FROM sighting_chunks UNION ALL SELECT sealed FROM own_keys "
                       "UNION ALL SELECT value FROM meta WHERE name = 'summary'",
                       -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      old_nonces.emplace_back(static_cast<const char*>(sqlite3_column_blob(stmt, 0)), 24);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  ASSERT_GE(old_nonces.size(), 3u);

  store = open_store();
  StorageKey new_key = generate_storage_key();
  ASSERT_TRUE(store->rotate_key(new_key).ok());
  std::vector<Sighting> loaded;
  ASSERT_TRUE(store->load_sightings(&loaded).ok());  // the open store uses the new key
  EXPECT_EQ(sorted(loaded), sorted(sightings));
  for (const char* suffix : {"", "-wal"}) {
    const std::string data = read_file(db_path() + suffix);
    for (const auto& nonce : old_nonces) EXPECT_EQ(data.find(nonce), std::string::npos) << suffix;
  }
  store.reset();

  EXPECT_EQ(open_error(key_).code(), ErrorCode::kWrongKey);
  store = open_with(new_key);
  loaded.clear();
  ASSERT_TRUE(store->load_sightings(&loaded).ok());
  EXPECT_EQ(sorted(loaded), sorted(sightings));
  std::vector<TemporaryExposureKey> keys;
  ASSERT_TRUE(store->load_own_keys(&keys).ok());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_data, tek.key_data);
}

TEST_F(StoreTest, WipeDeletesEveryFile) {
  auto store = open_store();
  ASSERT_TRUE(store->add_sightings(testing::recent_sightings(5, 5)).ok());
  store.reset();
  ASSERT_TRUE(std::filesystem::exists(db_path()));
  ASSERT_TRUE(wipe_store(dir_.path()).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.path()));
  EXPECT_TRUE(wipe_store(dir_.path()).ok());  // nothing left: still fine

  StoreOptions options;
  options.clock = &clock_;
  options.create_if_missing = false;
  auto reopened = Store::open(dir_.path(), key_, options);
  EXPECT_EQ(reopened.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(reopened.status().message().find("no store in"), std::string::npos);
}

TEST_F(StoreTest, WipeLeavesOtherFilesOfTheDirectory) {
  auto store = open_store();
  store.reset();
  testing::write_file(dir_.file("unrelated.txt"), "keep");
  ASSERT_TRUE(wipe_store(dir_.path()).ok());
  EXPECT_FALSE(std::filesystem::exists(db_path()));
  EXPECT_EQ(read_file(dir_.file("unrelated.txt")), "keep");
}

TEST_F(StoreTest, FullDiskRejectsTheWholeBatchAndKeepsTheStore) {
  StoreOptions options;
  options.clock = &clock_;
  options.max_database_bytes = 256 * 1024;
  auto store = Store::open(dir_.path(), key_, options);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  auto small = testing::recent_sightings(5, 10, 1);
  ASSERT_TRUE((*store)->add_sightings(small).ok());
  auto large = testing::recent_sightings(50, 400, 2);  // ~80,000 sightings, ~1.5 MB sealed
  auto report = (*store)->add_sightings(large);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(report.status().message().find("disk full"), std::string::npos);
  std::vector<Sighting> loaded;
  ASSERT_TRUE((*store)->load_sightings(&loaded).ok());
  EXPECT_EQ(sorted(loaded), sorted(small));
  EXPECT_EQ((*store)->stats()->sightings, small.size());
}

TEST_F(StoreTest, NotADatabaseIsCorrupt) {
  ASSERT_EQ(mkdir(dir_.file("s").c_str(), 0700), 0);
  testing::write_file(store_database_path(dir_.file("s")), std::string(8192, 'x'));
  auto store = Store::open(dir_.file("s"), key_);
  EXPECT_EQ(store.status().code(), ErrorCode::kCorrupt);
  EXPECT_NE(
      store.status().message().find("store.db: not a store database (file is not a database)"),
      std::string::npos)
      << store.status().message();
}

TEST_F(StoreTest, OtherSqliteDatabaseIsCorrupt) {
  ASSERT_EQ(mkdir(dir_.file("s").c_str(), 0700), 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store_database_path(dir_.file("s")).c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE contacts(name TEXT)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto store = Store::open(dir_.file("s"), key_);
  EXPECT_EQ(store.status().code(), ErrorCode::kCorrupt);
  EXPECT_NE(store.status().message().find("not a store database (no table meta)"),
            std::string::npos)
      << store.status().message();
}

TEST_F(StoreTest, FilesAreOwnerOnly) {
  const std::string directory = dir_.file("new");
  StoreOptions options;
  options.clock = &clock_;
  auto store = Store::open(directory, key_, options);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->add_sightings(testing::recent_sightings(2, 2)).ok());
  const std::string db = store_database_path(directory);
  for (const std::string& path : {directory, db, db + "-wal", db + "-shm"}) {
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0) << path;
    EXPECT_EQ(st.st_mode & 077, 0u) << path;
  }
}

TEST_F(StoreTest, TwoHandlesOnOneStoreSeeEachOthersBatches) {
  auto a = open_store();
  auto b = open_store();
  auto first = testing::recent_sightings(3, 3, 1);
  auto second = testing::recent_sightings(3, 3, 2);
  ASSERT_TRUE(a->add_sightings(first).ok());
  ASSERT_TRUE(b->add_sightings(second).ok());  // b reads the summary a wrote
  std::vector<Sighting> loaded;
  ASSERT_TRUE(a->load_sightings(&loaded).ok());
  EXPECT_EQ(loaded.size(), first.size() + second.size());
}

}  // namespace
}  // namespace exposure
