// `exposure match` through the real binary: the conformance key, signed archives, the
// store, risk output per platform, and usage errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "exposure/keyfile.h"
#include "exposure/keys.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_vectors.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using nlohmann::json;
using testing::run_command;
const std::string kCli = exposure_cli_binary();

// A sighting of `tek`'s RPI for `interval`, with a valid AEM (v1.0, TX power +8 dBm).
Sighting sighting_of(const KeyData& tek, EnIntervalNumber interval, uint32_t time, int8_t rssi = -60) {
  Sighting s;
  s.rpi = rolling_proximity_id(derive_rpi_key(tek), interval);
  s.aem = encrypt_metadata(derive_aem_key(tek), s.rpi, MetadataBytes{0x40, 0x08, 0, 0});
  s.time = time;
  s.previous_scan_time = time - 300;
  s.rssi = rssi;
  return s;
}

std::string write_csv(const testing::TempDir& dir, const std::vector<Sighting>& sightings) {
  std::string path = dir.file("sightings.csv");
  std::ofstream out(path);
  write_sightings_csv(out, sightings);
  return path;
}

TEST(CliMatch, ConformanceKeyFromTheInternals110KeysFile) {
  testing::TempDir dir;
  KeyData tek = *fixed_from_hex<16>("2b714d3ec93c14e5d345003e59027aea", "tek");
  Sighting s = sighting_of(tek, 2646801, 2646801 * 600 + 42);
  ASSERT_EQ(to_hex(s.rpi), "3d37caf51d1bf4ba54e758e0ac74c892");
  auto r = run_command(kCli + " match --sightings " + write_csv(dir, {s}) + " --keys " +
                       testing::data_path("internals-110-keys.export.bin") + " --insecure-skip-verify");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["keys_processed"], 110);
  ASSERT_EQ(out["matched_keys"].size(), 1u);
  const json& key = out["matched_keys"][0];
  EXPECT_EQ(key["key"], "2b714d3ec93c14e5d345003e59027aea");
  EXPECT_EQ(key["rolling_start_interval_number"], 2646801);
  EXPECT_EQ(key["rolling_period"], 89);
  EXPECT_EQ(key["transmission_risk_level"], 2);
  ASSERT_EQ(out["exposure_windows"].size(), 1u);
  const json& window = out["exposure_windows"][0];
  EXPECT_EQ(window["scan_instances"][0]["typical_attenuation_db"], 68);  // 8 - (-60)
  EXPECT_EQ(window["scan_instances"][0]["seconds_since_last_scan"], 300);
  EXPECT_FALSE(out.contains("platforms"));  // no --config
  EXPECT_TRUE(r.err.empty());                // no progress line when stderr is not a terminal
}

class CliMatchSigned : public ::testing::Test {
 protected:
  void SetUp() override {
    auto contents = keyfile::read_export_path(testing::data_path("internals-sample-140-keys.zip"));
    ASSERT_TRUE(contents.ok());
    key_ = contents->keys.at(17);
    EnIntervalNumber i = key_.rolling_start_interval_number + 30;
    sightings_ = {sighting_of(key_.key_data, i, i * 600 + 10, -50), sighting_of(key_.key_data, i, i * 600 + 20, -55),
                  sighting_of(key_.key_data, i + 1, (i + 1) * 600 + 10, -70)};
    csv_ = write_csv(dir_, sightings_);
    now_ = std::to_string(int64_t{key_.rolling_start_interval_number} * 600 + 3 * 86400);
  }
  std::string keys_args() const {
    return " --keys " + testing::data_path("internals-sample-140-keys.zip") + " --public-key 310-v1=" +
           testing::data_path("internals-sample-140-keys.public-310-v1.pem");
  }

  testing::TempDir dir_;
  DiagnosisKey key_;
  std::vector<Sighting> sightings_;
  std::string csv_, now_;
};

TEST_F(CliMatchSigned, VerifiesTheArchiveAndScoresUnderEachPlatform) {
  std::string config = testing::data_path("sane-v2-config.json");
  auto r = run_command(kCli + " match --sightings " + csv_ + keys_args() + " --config " + config + " --now " + now_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["keys_processed"], 140);
  ASSERT_EQ(out["matched_keys"].size(), 1u);
  EXPECT_EQ(out["matched_keys"][0]["key"], to_hex(key_.key_data));
  EXPECT_EQ(out["matched_keys"][0]["sightings"], 3);
  EXPECT_EQ(out["matched_keys"][0]["scans"], 2);
  ASSERT_TRUE(out["platforms"].contains("android"));
  ASSERT_TRUE(out["platforms"].contains("ios"));
  const json& daily = out["platforms"]["android"]["daily_summaries"];
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_GT(daily[0]["total"]["score_sum"].get<double>(), 0);
  // Threads change nothing in the output.
  auto threaded = run_command(kCli + " match --sightings " + csv_ + keys_args() + " --config " + config +
                              " --now " + now_ + " --threads 3 --platform ios");
  ASSERT_EQ(threaded.exit_code, 0) << threaded.err;
  json t = json::parse(threaded.out);
  EXPECT_EQ(t["matched_keys"], out["matched_keys"]);
  EXPECT_EQ(t["exposure_windows"], out["exposure_windows"]);
  EXPECT_FALSE(t["platforms"].contains("android"));
}

TEST_F(CliMatchSigned, V1ScoresDifferByPlatform) {
  std::string config = testing::data_path("cocoa-v1.1.4-config.json");
  auto r = run_command(kCli + " match --sightings " + csv_ + keys_args() + " --config " + config + " --now " + now_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  const json& android = out["platforms"]["android"]["v1"]["keys"][0]["records"][0]["factors"];
  const json& ios = out["platforms"]["ios"]["v1"]["keys"][0]["records"][0]["factors"];
  int trl = key_.transmission_risk_level;
  EXPECT_EQ(android[3], trl == 0 ? 1 : 7);
  EXPECT_EQ(ios[3], 7);
  EXPECT_EQ(out["platforms"]["android"]["verdict"], "no-notification");  // 5-10 minutes: duration score 0
}

TEST_F(CliMatchSigned, WrongPublicKeyFailsWithOneLine) {
  auto r = run_command(kCli + " match --sightings " + csv_ + " --keys " +
                       testing::data_path("internals-sample-140-keys.zip") + " --public-key 310-v1=" +
                       testing::data_path("server-example-2-keys.public.pem"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("internals-sample-140-keys.zip"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliMatchSigned, ReadsSightingsFromTheStore) {
  std::string key_file = dir_.file("store.key");
  ASSERT_TRUE(write_storage_key_file(key_file, generate_storage_key()).ok());
  auto key = read_storage_key_file(key_file);
  ManualClock clock(std::stoll(now_));
  StoreOptions options;
  options.clock = &clock;
  {
    auto store = Store::open(dir_.file("store"), *key, options);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->add_sightings(sightings_).ok());
  }
  auto r = run_command(kCli + " match --store " + dir_.file("store") + " --key-file " + key_file + keys_args() +
                       " --now " + now_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["sightings"], 3);
  ASSERT_EQ(out["matched_keys"].size(), 1u);
  EXPECT_EQ(out["matched_keys"][0]["key"], to_hex(key_.key_data));
}

TEST(CliMatch, UsageErrorsExitTwoWithOneLineNamingTheArgument) {
  std::string keys = " --keys " + testing::data_path("internals-110-keys.export.bin");
  std::string csv = " --sightings " + testing::data_path("test-vectors.txt");
  const std::pair<std::string, std::string> cases[] = {
      {"match" + keys + " --insecure-skip-verify", "--sightings"},
      {"match" + csv + keys, "--public-key"},
      {"match" + csv + keys + " --insecure-skip-verify --store /tmp", "--store"},
      {"match" + csv + keys + " --insecure-skip-verify --threads 0", "--threads"},
      {"match" + csv + keys + " --insecure-skip-verify --platform windows", "--platform"},
      {"match" + csv + keys + " --insecure-skip-verify --config " + testing::data_path("test-vectors.txt"), "--config"},
      {"match" + csv + keys + " --public-key 310-v1=nonsense", "--public-key"},
  };
  for (const auto& [args, expected] : cases) {
    auto r = run_command(kCli + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << " -> " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << " -> " << r.err;
  }
  // A malformed CSV is a failure of the input, reported with its line.
  auto bad = run_command(kCli + " match" + csv + keys + " --insecure-skip-verify");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("line"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace exposure
