// Runs the real `exposure store ...` commands.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exposure/sightings_csv.h"
#include "support/run_command.h"
#include "support/sighting_generator.h"
#include "support/temp_dir.h"
#include "support/test_vectors.h"
#include "support/test_paths.h"

namespace exposure {
namespace {

using testing::run_command;
const std::string kCli = exposure_cli_binary();
constexpr int64_t kNow = 1586174400;  // 2020-04-06T12:00Z

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

class CliStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = run_command(kCli + " store keygen --key-file " + key_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // "--store S --key-file K --now N"
  std::string store_args(const std::string& key_file) const {
    return " --store " + store_ + " --key-file " + key_file + " --now " + std::to_string(kNow);
  }
  std::string store_args() const { return store_args(key_); }

  std::string write_csv(const std::vector<Sighting>& sightings,
                        const std::string& name = "in.csv") {
    std::ofstream out(dir_.file(name));
    write_sightings_csv(out, sightings);
    return dir_.file(name);
  }

  testing::TempDir dir_;
  std::string key_ = dir_.file("key");
  std::string store_ = dir_.file("store");
};

std::vector<Sighting> two_days_of_scans() {
  testing::ScanPattern pattern;
  pattern.first_scan_time = kNow - 2 * 86400;
  pattern.scans = 100;
  pattern.devices_per_scan = 5;
  return testing::simulate_scans(pattern);  // 2000 sightings
}

TEST_F(CliStore, ImportExportAndStatsRoundTrip) {
  auto sightings = two_days_of_scans();
  const std::string csv = write_csv(sightings);

  auto imported = run_command(kCli + " store import" + store_args() + " --sightings " + csv);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto report = nlohmann::json::parse(imported.out);
  EXPECT_EQ(report["stored"], 2000);
  EXPECT_EQ(report["expired"], 0);

  auto exported = run_command(kCli + " store export" + store_args());
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(exported.out.starts_with(std::string(kSightingsCsvHeader) + "\n"));
  EXPECT_EQ(sorted_lines(exported.out), sorted_lines(testing::read_text_file(csv)));

  auto stats = run_command(kCli + " store stats" + store_args());
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto json = nlohmann::json::parse(stats.out);
  EXPECT_EQ(json["sightings"], 2000);
  EXPECT_EQ(json["days_covered"], 1);  // 100 scans, 5 min apart, start at midnight: one day
  EXPECT_EQ(json["first_day"], "2020-04-04");
  EXPECT_EQ(json["days"][0]["sightings"], 2000);
  EXPECT_GT(json["bytes_on_disk"]["total"].get<uint64_t>(), 0u);
  EXPECT_EQ(json["bytes_on_disk"]["total"].get<uint64_t>(),
            std::filesystem::file_size(store_ + "/store.db") +
                (std::filesystem::exists(store_ + "/store.db-wal")
                     ? std::filesystem::file_size(store_ + "/store.db-wal")
                     : 0));
  EXPECT_GT(json["bytes_per_sighting"].get<double>(), 0.0);

  // A second import adds a batch.
  ASSERT_EQ(run_command(kCli + " store import" + store_args() + " --sightings " + csv).exit_code,
            0);
  EXPECT_EQ(
      nlohmann::json::parse(run_command(kCli + " store stats" + store_args()).out)["sightings"],
      4000);
}

TEST_F(CliStore, RetentionFollowsNow) {
  const std::string csv = write_csv(two_days_of_scans());
  const std::string later = " --now " + std::to_string(kNow + 14 * 86400);
  auto r = run_command(kCli + " store import --store " + store_ + " --key-file " + key_ + later +
                       " --sightings " + csv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["expired"], 2000);
}

TEST_F(CliStore, MalformedCsvReportsTheLineAndStoresNothing) {
  std::ofstream(dir_.file("bad.csv"))
      << "rpi,aem,time,rssi\n"
      << "3c9a1de5dd6b02afa7fded7b570b3e56,c29211b1,1586174400,-60\n"
      << "3c9a1de5dd6b02afa7fded7b570b3e56,c29211b1,soon,-60\n";
  auto r =
      run_command(kCli + " store import" + store_args() + " --sightings " + dir_.file("bad.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.csv: line 3: time: 'soon'"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_FALSE(std::filesystem::exists(store_));
}

TEST_F(CliStore, WrongKeyAndMissingStoreFailWithOneLine) {
  ASSERT_EQ(run_command(kCli + " store import" + store_args() + " --sightings " +
                        write_csv(two_days_of_scans()))
                .exit_code,
            0);
  ASSERT_EQ(run_command(kCli + " store keygen --key-file " + dir_.file("other")).exit_code, 0);
  auto wrong = run_command(kCli + " store export" + store_args(dir_.file("other")));
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(wrong.out.empty());
  EXPECT_NE(wrong.err.find("does not open this store"), std::string::npos) << wrong.err;
  EXPECT_EQ(std::count(wrong.err.begin(), wrong.err.end(), '\n'), 1);

  auto missing =
      run_command(kCli + " store stats --store " + dir_.file("none") + " --key-file " + key_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no store in"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("none")));
}

TEST_F(CliStore, RotateKeyThenOnlyTheNewKeyOpens) {
  ASSERT_EQ(run_command(kCli + " store import" + store_args() + " --sightings " +
                        write_csv(two_days_of_scans()))
                .exit_code,
            0);
  const std::string before = run_command(kCli + " store export" + store_args()).out;
  ASSERT_EQ(run_command(kCli + " store keygen --key-file " + dir_.file("new")).exit_code, 0);
  auto r = run_command(kCli + " store rotate-key" + store_args() + " --new-key-file " +
                       dir_.file("new"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run_command(kCli + " store export" + store_args()).exit_code, 1);
  auto after = run_command(kCli + " store export" + store_args(dir_.file("new")));
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_EQ(after.out, before);
}

TEST_F(CliStore, WipeRemovesTheStore) {
  ASSERT_EQ(run_command(kCli + " store import" + store_args() + " --sightings " +
                        write_csv(two_days_of_scans()))
                .exit_code,
            0);
  auto r = run_command(kCli + " store wipe --store " + store_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(store_));
}

TEST_F(CliStore, KeygenWritesOwnerOnlyHexAndNeverOverwrites) {
  const std::string text = testing::read_text_file(key_);
  EXPECT_EQ(text.size(), 65u);
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), 64u);
  struct stat st;
  ASSERT_EQ(stat(key_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = run_command(kCli + " store keygen --key-file " + key_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(testing::read_text_file(key_), text);
}

TEST_F(CliStore, UsageErrorsExitTwoNamingTheArgument) {
  std::ofstream(dir_.file("badkey")) << "not a key";
  const std::string csv = write_csv({});
  struct Case {
    std::string args, expected;
  } cases[] = {
      {"store import --key-file " + key_ + " --sightings " + csv, "--store is required"},
      {"store import --store " + store_ + " --sightings " + csv, "--key-file is required"},
      {"store import --store " + store_ + " --key-file " + key_, "--sightings is required"},
      {"store export --store " + store_ + " --key-file " + dir_.file("badkey"),
       "--key-file: " + dir_.file("badkey") + ": expected 32 raw bytes or 64 hex digits"},
      {"store export --store " + store_ + " --key-file " + dir_.file("absent"), "--key-file"},
      {"store stats --store " + store_ + " --key-file " + key_ + " --now soon", "--now"},
      {"store", "subcommand"},
  };
  for (const auto& c : cases) {
    auto r = run_command(kCli + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.args << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << " -> " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(store_));
}

}  // namespace
}  // namespace exposure
