// Two server processes on one database, as behind a load balancer: both take uploads, the
// export lease lets exactly one of them export each window, and when its holder is killed
// (-9) the other takes over once the lease has expired by the server clock (the fake
// clock moves; nothing sleeps for the lease).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr int64_t kHour = 3600;

int64_t files_written(const ServerHarness& server) {
  auto r = server.client()->Get("/metrics");
  if (!r || r->status != 200) return -1;
  std::istringstream lines(r->body);
  const std::string name = "exposure_export_files_written_total ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) == 0) return std::stoll(line.substr(name.size()));
  }
  return -1;
}

std::vector<std::string> index_lines(const ServerHarness& server) {
  auto r = server.client()->Get("/exports/JP/index.txt");
  std::vector<std::string> out;
  if (!r || r->status != 200) return out;
  std::istringstream lines(r->body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Polls until the index lists `count` files (workers run every 50 ms); returns the count seen.
size_t wait_for_files(const ServerHarness& server, size_t count) {
  size_t seen = 0;
  for (int i = 0; i < 400 && seen < count; ++i) {
    seen = index_lines(server).size();
    if (seen < count) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return seen;
}

void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(400)); }  // several worker passes

TEST(ExportLease, TwoInstancesExportEachWindowOnceAndASurvivorTakesOver) {
  ServerHarness first(test_start_time());
  const std::string api_key = first.add_health_authority("Lab");
  first.add_app("com.example.app", {"JP"});
  const std::string public_key = first.add_signing_key("440", "v1");
  const std::vector<std::string> flags = {"--export-interval", "50ms", "--export-lease", "4h"};
  first.start(flags);
  auto second = first.another_instance();
  second->start(flags);
  ServerHarness* instances[] = {&first, second.get()};

  // Each window gets keys uploaded through both instances.
  auto upload_through_both = [&](int64_t now) {
    for (ServerHarness* s : instances) {
      auto published = google_upload(*s->client(), api_key, daily_keys(2, now - 86400), GoogleUpload{});
      ASSERT_EQ(published.status, 200) << published.raw;
    }
  };

  // Two windows while both run (each due 3 hours after its upload, within the lease): each
  // exported once, both by the lease holder.
  upload_through_both(first.now());
  first.advance(3 * kHour);
  ASSERT_EQ(wait_for_files(first, 1), 1u);
  upload_through_both(first.now());
  first.advance(3 * kHour);
  ASSERT_EQ(wait_for_files(first, 2), 2u);
  settle();
  ASSERT_EQ(index_lines(first).size(), 2u);
  const int64_t by_first = files_written(first), by_second = files_written(*second);
  EXPECT_EQ(by_first + by_second, 2) << "a window was written more than once";
  EXPECT_TRUE(by_first == 0 || by_second == 0) << "both instances exported";
  const int holder = by_first > 0 ? 0 : 1;
  ServerHarness& survivor = *instances[1 - holder];
  const int64_t lease_renewed_at = first.now();

  // The holder dies without releasing the lease. The next window falls due 3 hours later,
  // while the lease (4 hours from the last renewal) is still valid: nobody exports it.
  instances[holder]->kill9();
  auto late = google_upload(*survivor.client(), api_key, daily_keys(2, first.now() - 86400), GoogleUpload{});
  ASSERT_EQ(late.status, 200) << late.raw;
  first.set_time(lease_renewed_at + 3 * kHour);
  settle();
  EXPECT_EQ(index_lines(survivor).size(), 2u);
  EXPECT_EQ(files_written(survivor), 0);

  // Past the lease's expiry the survivor takes over and exports the waiting window, once.
  first.set_time(lease_renewed_at + 4 * kHour + 1);
  ASSERT_EQ(wait_for_files(survivor, 3), 3u);
  settle();
  EXPECT_EQ(files_written(survivor), 1);
  auto files = download_exports(*survivor.client(), "JP", public_key);
  ASSERT_EQ(files.size(), 3u);
  std::set<uint64_t> windows;
  for (const auto& f : files) windows.insert(f.metadata.start_timestamp);
  EXPECT_EQ(windows.size(), 3u);
  EXPECT_NE(survivor.server_log().find("this instance holds the export lease"), std::string::npos);
}

}  // namespace
}  // namespace exposure::server::testing
