// kill -9 of `exposure-server export --once` at several moments of a long export: every
// visible file is whole and signed, the index names only existing files, and the next
// run completes the export without duplicating a window.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <filesystem>
#include <set>
#include <thread>

#include "exposure/crypto.h"
#include "storage/storage.h"
#include "support/test_vectors.h"
#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr int64_t kHour = 3600;
constexpr int kWindows = 48;
constexpr int kKeysPerWindow = 150;

std::vector<keyfile::CosignSet> cosign(const std::string& public_key_line) {
  size_t comma = public_key_line.find(',');
  auto key = keyfile::make_verification_key(public_key_line.substr(0, comma),
                                            as_bytes(public_key_line.substr(comma + 1)));
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));
  return sets;
}

struct TreeCheck {
  int archives = 0;
  int temp_files = 0;
  std::set<std::string> names;
};

// Every non-temporary archive in the region directory must verify; index lines must exist.
TreeCheck check_tree(const std::string& dir, const std::vector<keyfile::CosignSet>& sets) {
  TreeCheck check;
  if (!std::filesystem::exists(dir)) return check;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename();
    if (name.rfind(".tmp-", 0) == 0) {
      ++check.temp_files;
      continue;
    }
    if (entry.path().extension() != ".zip") continue;
    ++check.archives;
    check.names.insert(name);
    Status st = keyfile::verify_export_path(entry.path(), sets);
    EXPECT_TRUE(st.ok()) << name << ": " << st.to_string();
  }
  auto index = exposure::testing::read_text_file(dir + "/index.txt");
  std::istringstream lines(index);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    EXPECT_TRUE(std::filesystem::exists(dir + "/../" + line)) << "index names a missing file: " << line;
  }
  return check;
}

TEST(ExportCrash, KillDuringExportLeavesOnlyWholeSignedFiles) {
  const int64_t first_window = test_day_start();
  ServerHarness server(first_window + (kWindows + 3) * kHour);
  server.add_app("com.example.app", {"JP"});
  const std::string public_key = server.add_signing_key("440", "v1");
  {
    // Keys spread over kWindows hourly windows, and the export state at the first window.
    auto storage = open_storage(server.db_url());
    ASSERT_TRUE(storage.ok()) << storage.status().to_string();
    Status st = (*storage)->transaction([&](Transaction& tx) -> Status {
      for (int w = 0; w < kWindows; ++w) {
        std::vector<Exposure> batch(kKeysPerWindow);
        for (Exposure& e : batch) {
          crypto::random_bytes(e.key_data);
          e.rolling_start = static_cast<uint32_t>(first_window / 600 - 3 * 144);
          e.rolling_period = 144;
          e.transmission_risk = 2;
          e.report_type = "confirmed";
          e.days_since_onset = 1;
          e.regions = {"JP"};
          e.created_at = first_window + w * kHour;
        }
        EXPOSURE_RETURN_IF_ERROR(tx.exposures().insert_exposures(batch));
      }
      return tx.exports().set_last_export_end("JP", first_window);
    });
    ASSERT_TRUE(st.ok()) << st.to_string();
  }
  const auto sets = cosign(public_key);
  const std::string dir = server.export_root() + "/JP";
  // A killed run keeps the export lease until it expires: the clock moves past it after
  // each kill (a few minutes, well inside the hour the due windows depend on).
  const std::vector<std::string> args = {"export", "--once", "--export-max-records", "50", "--export-lease", "30s"};
  int interrupted = 0;
  for (int delay_ms : {5, 15, 40, 80, 130, 200, 300}) {
    pid_t pid = server.spawn(args);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    if (ServerHarness::wait_for(pid) == -SIGKILL) ++interrupted;
    server.advance(31);
    TreeCheck after = check_tree(dir, sets);
    std::cout << "kill after " << delay_ms << " ms: " << after.archives << " whole files visible, " << after.temp_files
              << " temporary files\n";
  }
  EXPECT_GT(interrupted, 0) << "no run was interrupted: the export finished too fast to test";

  pid_t pid = server.spawn(args);
  ASSERT_EQ(ServerHarness::wait_for(pid), 0);
  TreeCheck done = check_tree(dir, sets);
  EXPECT_EQ(done.temp_files, 0);
  // 150 keys per window, at most 50 records per file (padding is capped at that size too).
  EXPECT_EQ(done.archives, kWindows * 3);
  std::set<int64_t> windows;
  for (const std::string& name : done.names) windows.insert(std::stoll(name.substr(0, name.find('-'))));
  EXPECT_EQ(windows.size(), static_cast<size_t>(kWindows));
  auto index = exposure::testing::read_text_file(dir + "/index.txt");
  EXPECT_EQ(static_cast<int>(std::count(index.begin(), index.end(), '\n')) + 1, done.archives);
}

}  // namespace
}  // namespace exposure::server::testing
