// Federation import against partners that misbehave (served by the test over loopback):
// tampered, truncated, unsigned and wrongly signed archives, an index naming files that do
// not exist and lines that are not file names, a partner that is down and one that never
// answers. Each is one log line and a metric, and no key of a bad file becomes visible.
// Then kill -9 at named points of an import (common/fault_point.h) and restarts: every key
// ends up stored, and exported, exactly once.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>

#include "tests/fake_partner.h"
#include "tests/flows.h"

namespace exposure::server::testing {
namespace {

constexpr int64_t kHour = 3600;

// The value of the /metrics sample `sample` ("name{labels}"), or -1 when absent.
int64_t metric(const ServerHarness& server, const std::string& sample) {
  auto r = server.client()->Get("/metrics");
  if (!r || r->status != 200) return -1;
  std::istringstream lines(r->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(sample + " ", 0) == 0) return std::stoll(line.substr(sample.size() + 1));
  }
  return -1;
}

std::string failures(const std::string& partner, const std::string& reason) {
  return "exposure_federation_failures_total{partner=\"" + partner + "\",reason=\"" + reason +
         "\"}";
}

// A loopback URL where nothing listens (a port bound and released again).
std::string closed_port_url() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/tree";
}

// How often each key appears among the keys of the exported files of `region`.
std::map<KeyData, int> exported_counts(const ServerHarness& server, const std::string& region,
                                       const std::string& public_key) {
  std::map<KeyData, int> counts;
  for (const keyfile::ExportContents& f : download_exports(*server.client(), region, public_key)) {
    for (const DiagnosisKey& k : f.keys) counts[k.key_data] += 1;
  }
  return counts;
}

void add_partner(const ServerHarness& server, const std::string& name, const std::string& url,
                 const std::string& key_flag) {
  auto r = server.run("federation add " + name + " --url " + url + " --region JP --public-key '" +
                      key_flag + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(FederationFaults, BadFilesAndFaultyPartnersAreLoggedCountedAndNotImported) {
  ServerHarness server(test_start_time());
  server.add_app("com.example.app", {"JP"});
  const std::string public_key = server.add_signing_key("440", "v1");
  ASSERT_EQ(server.run("export --once").exit_code, 0);

  const TestSigner signer("310", "v1"), impostor("310", "v1"), stranger("999", "v1");
  const int64_t now = server.now();
  const auto good = test_keys(5, now), tampered = test_keys(3, now), truncated = test_keys(3, now),
             unsigned_keys = test_keys(3, now), wrong_key = test_keys(3, now),
             unknown_key = test_keys(3, now);
  FakePartner partner;
  partner.put("JP/index.txt",
              "JP/good.zip\nJP/tampered.zip\nJP/truncated.zip\nJP/unsigned.zip\nJP/wrong-key.zip\n"
              "JP/unknown-key.zip\nJP/missing.zip\n../outside.zip\n");
  partner.put("JP/good.zip", signed_archive("JP", good, {&signer}));
  partner.put("JP/tampered.zip", tampered_archive("JP", tampered, signer));
  Bytes cut = signed_archive("JP", truncated, {&signer});
  cut.resize(cut.size() / 2);
  partner.put("JP/truncated.zip", cut);
  partner.put("JP/unsigned.zip", signed_archive("JP", unsigned_keys, {}));
  partner.put("JP/wrong-key.zip", signed_archive("JP", wrong_key, {&impostor}));
  partner.put("JP/unknown-key.zip", signed_archive("JP", unknown_key, {&stranger}));
  SilentPartner silent;
  add_partner(server, "a", partner.url(), signer.public_key_flag());
  add_partner(server, "down", closed_port_url(), signer.public_key_flag());
  add_partner(server, "slow", silent.url(), signer.public_key_flag());

  server.start(
      {"--no-export-worker", "--federation-interval", "100ms", "--federation-timeout", "1s"});
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {failures("a", "bad_signature"), 4},  {failures("a", "bad_file"), 1},
      {failures("a", "missing_file"), 1},   {failures("a", "bad_index"), 1},
      {failures("down", "unreachable"), 1}, {failures("slow", "timeout"), 1},
  };
  // Polled with a generous deadline: the worker runs a pass every 100 ms plus the timeout.
  auto all_seen = [&] {
    for (const auto& [sample, at_least] : expected) {
      if (metric(server, sample) < at_least) return false;
    }
    return true;
  };
  for (int i = 0; i < 600 && !all_seen(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (const auto& [sample, at_least] : expected)
    EXPECT_GE(metric(server, sample), at_least) << sample;
  EXPECT_EQ(metric(server, "exposure_federation_files_imported_total{partner=\"a\"}"), 1);
  EXPECT_EQ(metric(server, "exposure_federation_keys_imported_total{partner=\"a\"}"), 5);

  const std::string log = server.server_log();
  for (const std::string line :
       {"federation a: JP/tampered.zip: ", "federation a: JP/truncated.zip: ",
        "federation a: JP/unsigned.zip: unsigned",
        "federation a: JP/wrong-key.zip: signature by 310-v1 does not verify",
        "federation a: JP/unknown-key.zip: no signature by a configured key of the partner (signed "
        "by 999-v1)",
        "federation a: JP/missing.zip: listed in the index but GET /tree/JP/missing.zip: HTTP 404",
        "federation a: JP/index.txt: unusable line \"../outside.zip\"",
        "federation down: GET /tree/JP/index.txt: cannot connect",
        "federation slow: GET /tree/JP/index.txt: timed out after 1s"}) {
    EXPECT_NE(log.find(line), std::string::npos) << "no log line " << line;
  }

  // Exported: the good file's keys once each, nothing of the others.
  server.advance(3 * kHour);
  ASSERT_EQ(server.run("export --once").exit_code, 0);
  const auto counts = exported_counts(server, "JP", public_key);
  for (const DiagnosisKey& k : good)
    EXPECT_EQ(counts.count(k.key_data) ? counts.at(k.key_data) : 0, 1);
  for (const auto* bad : {&tampered, &truncated, &unsigned_keys, &wrong_key, &unknown_key}) {
    for (const DiagnosisKey& k : *bad)
      EXPECT_EQ(counts.count(k.key_data), 0u) << "a key of a bad file was imported";
  }
}

// Runs `federation --once`, killed by SIGKILL at `kill_at` ("" for none); its exit code, or
// -SIGKILL. A killed run keeps the federation lease until it expires: the clock then moves
// past it (well inside the hour the imported keys' export window depends on).
int import_once(ServerHarness& server, const std::string& kill_at) {
  if (!kill_at.empty()) setenv("EXPOSURE_TEST_KILL_AT", kill_at.c_str(), 1);
  const pid_t pid = server.spawn({"federation", "--once", "--federation-lease", "30s"});
  unsetenv("EXPOSURE_TEST_KILL_AT");
  const int exit_code = ServerHarness::wait_for(pid);
  if (exit_code == -SIGKILL) server.advance(31);
  return exit_code;
}

TEST(FederationFaults, KillDuringImportEndsWithEveryKeyExactlyOnce) {
  ServerHarness server(test_start_time());
  server.add_app("com.example.app", {"JP"});
  const std::string public_key = server.add_signing_key("440", "v1");
  ASSERT_EQ(server.run("export --once").exit_code, 0);
  const TestSigner signer("310", "v1");
  // Three files; neighbours share keys, so the later ones hold keys imported already.
  const auto keys = test_keys(12, server.now());
  FakePartner partner;
  partner.put("JP/index.txt", "JP/f1.zip\nJP/f2.zip\nJP/f3.zip\n");
  partner.put("JP/f1.zip", signed_archive("JP", {keys.begin(), keys.begin() + 5}, {&signer}));
  partner.put("JP/f2.zip", signed_archive("JP", {keys.begin() + 3, keys.begin() + 9}, {&signer}));
  partner.put("JP/f3.zip", signed_archive("JP", {keys.begin() + 8, keys.end()}, {&signer}));
  add_partner(server, "a", partner.url(), signer.public_key_flag());

  // f1 commits; the process dies inside f2's transaction, before its commit.
  EXPECT_EQ(import_once(server, "federation-import-commit:2"), -SIGKILL);
  // The restart imports f2 again, commits it, and dies right after the commit.
  EXPECT_EQ(import_once(server, "federation-import-committed:1"), -SIGKILL);
  // The next one imports f3 only; then there is nothing left.
  EXPECT_EQ(import_once(server, ""), 0);
  auto again = server.run("federation --once");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 files imported"), std::string::npos) << again.out;
  auto list = server.run("federation list");
  EXPECT_NE(list.out.find("3 files imported"), std::string::npos) << list.out;

  server.start({"--no-export-worker", "--no-federation-worker"});
  server.advance(3 * kHour);
  ASSERT_EQ(server.run("export --once").exit_code, 0);
  const auto counts = exported_counts(server, "JP", public_key);
  for (const DiagnosisKey& k : keys) {
    EXPECT_EQ(counts.count(k.key_data) ? counts.at(k.key_data) : 0, 1)
        << "a key is not exported exactly once";
  }
}

}  // namespace
}  // namespace exposure::server::testing
