// Crash test of exposure-server under upload load (loopback only, bounded): each round
// uploads keys through the full verified flow from concurrent clients while the export
// worker runs, kills the server with SIGKILL at a random moment, restarts it and checks
//   - every upload answered 200 is stored (all its keys, read from the database);
//   - every export file the server lists verifies (whole and signed), every archive in
//     the tree too, temporary files are never served, and no key is in two files;
// and at the end, after one export pass over every window, that the keys of every
// acknowledged upload are exported exactly once. The fake clock moves one hour per round,
// so a new window becomes due (and is exported, perhaps interrupted) every round.
// Prints one line per round and the tally; exit code 0 when nothing was lost, duplicated
// or corrupt. Flags: --rounds N (50), --clients N (4), --max-kill-ms M (800), --seed S.
#include <signal.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/app_client.h"
#include "exposure/keyfile_verify.h"
#include "server_load.h"
#include "server_setup.h"
#include "storage/storage.h"

namespace {

using namespace exposure;
namespace fs = std::filesystem;

// 2026-03-10 00:20:00 UTC.
constexpr int64_t kStartTime = 1773100800 + 20 * 60;
const std::vector<std::string> kServeFlags = {"--threads", "16", "--export-interval", "50ms",
                                              "--export-min-records", "5000"};

struct Tally {
  int64_t acknowledged_uploads = 0;
  int64_t missing_uploads = 0;      // acknowledged, not (wholly) stored after a restart
  int64_t duplicate_keys = 0;       // keys found in more than one served file
  int64_t bad_files = 0;            // listed or present archives that do not verify
  int64_t served_temp_files = 0;    // temporary files answered with anything but 404
  int rounds_with_temp_files = 0;   // killed while a file was being written
};

// Uploads acknowledged so far: each upload's keys.
struct Acknowledged {
  std::mutex mutex;
  std::vector<std::vector<KeyData>> uploads;
  void add(std::span<const app_client::UploadKey> keys) {
    std::vector<KeyData> k;
    for (const auto& key : keys) k.push_back(key.key);
    std::lock_guard<std::mutex> lock(mutex);
    uploads.push_back(std::move(k));
  }
};

// Uploads of `acked` whose keys are not all in the database.
int64_t missing_in_database(const std::string& db, Acknowledged& acked) {
  auto storage = server::open_storage(db);
  if (!storage.ok()) {
    std::printf("cannot open %s: %s\n", db.c_str(), storage.status().to_string().c_str());
    return static_cast<int64_t>(acked.uploads.size());
  }
  int64_t missing = 0;
  Status st = (*storage)->read([&](server::Transaction& tx) -> Status {
    for (const auto& upload : acked.uploads) {
      auto found = tx.exposures().find_exposures(upload);
      if (!found.ok()) return found.status();
      if (found->size() != upload.size()) ++missing;
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    std::printf("reading the database: %s\n", st.to_string().c_str());
    return static_cast<int64_t>(acked.uploads.size());
  }
  return missing;
}

struct TreeState {
  int files = 0, temp_files = 0;
  int64_t bad_files = 0, served_temp_files = 0, duplicate_keys = 0;
  std::map<KeyData, int> key_count;  // key -> number of served files holding it
};

// What clients can see: every listed file downloaded and verified over HTTP, every archive
// on disk verified, temporary files asked for over HTTP.
TreeState check_tree(const std::string& root, int port, std::span<const keyfile::CosignSet> sets) {
  TreeState state;
  const fs::path dir = fs::path(root) / "JP";
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  if (fs::exists(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename();
      if (name.rfind(".tmp-", 0) == 0) {
        ++state.temp_files;
        auto r = client.Get("/exports/JP/" + name);
        if (!r || r->status != 404) ++state.served_temp_files;
      } else if (entry.path().extension() == ".zip") {
        Status st = keyfile::verify_export_path(entry.path(), sets);
        if (!st.ok()) {
          ++state.bad_files;
          std::printf("  unsigned or partial file on disk: %s: %s\n", name.c_str(), st.message().c_str());
        }
      }
    }
  }
  if (!fs::exists(dir / "index.txt")) return state;
  auto download = app_client::download_exports(client, "JP", sets);
  if (!download.ok()) {
    ++state.bad_files;
    std::printf("  served tree does not verify: %s\n", download.status().message().c_str());
    return state;
  }
  for (const auto& file : download->files) {
    ++state.files;
    for (const DiagnosisKey& k : file.contents.keys) {
      if (++state.key_count[k.key_data] == 2) ++state.duplicate_keys;
    }
  }
  return state;
}

struct Flags {
  int rounds = 50, clients = 4, max_kill_ms = 800;
  uint64_t seed = 0;
};

int run(const Flags& flags) {
  const std::string dir = bench::make_temp_dir("exposure-server-crash");
  std::unique_ptr<bench::ServerProcess> server_owner = bench::make_server(dir, "", true);
  bench::ServerProcess& server = *server_owner;
  bench::set_time(server, kStartTime);
  const std::string api_key = bench::add_authority_and_app(server);
  std::string public_key = bench::admin(server, {"signing-key", "add", "--id", "440", "--version", "v1"});
  public_key = public_key.substr(public_key.rfind('\n') + 1);
  auto key = app_client::parse_public_key_line(public_key);
  if (!key.ok()) {
    std::printf("signing key: %s\n", key.status().to_string().c_str());
    return 1;
  }
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));

  std::mt19937_64 rng(flags.seed ? flags.seed : std::random_device{}());
  Acknowledged acked;
  Tally tally;
  if (!bench::start(server, kServeFlags)) return 1;
  for (int round = 1; round <= flags.rounds; ++round) {
    const int64_t now = kStartTime + int64_t{round} * 3600;
    bench::set_time(server, now);
    std::atomic<bool> stop{false};
    bench::LoadOptions load;
    load.port = server.port();
    load.api_key = api_key;
    load.clients = flags.clients;
    load.duration_s = 3600;
    load.stop = &stop;
    load.key_time = [now] { return now; };
    load.acknowledged = [&acked](std::span<const app_client::UploadKey> keys) { acked.add(keys); };
    const size_t before = acked.uploads.size();
    bench::LoadReport report;
    std::thread uploads([&] { report = bench::run_load(load); });
    const int kill_ms = std::uniform_int_distribution<int>(10, std::max(flags.max_kill_ms, 11))(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_ms));
    stop = true;  // no new uploads; those in flight are cut off by the kill
    server.kill9();
    uploads.join();
    if (!bench::start(server, kServeFlags)) return 1;

    const int64_t missing = missing_in_database(server.db(), acked);
    TreeState tree = check_tree(dir + "/exports", server.port(), sets);
    tally.missing_uploads += missing;
    tally.bad_files += tree.bad_files;
    tally.served_temp_files += tree.served_temp_files;
    tally.duplicate_keys += tree.duplicate_keys;
    if (tree.temp_files > 0) ++tally.rounds_with_temp_files;
    std::printf("round %2d: killed after %4d ms, %3zu uploads acknowledged (%zu in all), %lld cut off; after restart: "
                "%lld missing, %d files served (%lld bad), %lld duplicate keys, %d temporary files (%lld served)\n",
                round, kill_ms, acked.uploads.size() - before, acked.uploads.size(),
                static_cast<long long>(report.errors), static_cast<long long>(missing), tree.files,
                static_cast<long long>(tree.bad_files), static_cast<long long>(tree.duplicate_keys), tree.temp_files,
                static_cast<long long>(tree.served_temp_files));
  }
  tally.acknowledged_uploads = static_cast<int64_t>(acked.uploads.size());

  // Every window due: one export pass (the stopped server released the export lease),
  // then each acknowledged key must be served exactly once.
  server.stop();
  bench::set_time(server, kStartTime + int64_t{flags.rounds} * 3600 + 3 * 86400);
  bench::admin(server, {"export", "--once"});
  if (!bench::start(server, {"--no-export-worker"})) return 1;
  TreeState final_tree = check_tree(dir + "/exports", server.port(), sets);
  int64_t exported_once = 0, not_exported = 0, exported_twice = 0;
  for (const auto& upload : acked.uploads) {
    bool once = true;
    for (const KeyData& k : upload) {
      auto it = final_tree.key_count.find(k);
      int count = it == final_tree.key_count.end() ? 0 : it->second;
      if (count == 0) ++not_exported;
      if (count > 1) ++exported_twice;
      once = once && count == 1;
    }
    exported_once += once;
  }
  server.stop();
  const bool ok = tally.acknowledged_uploads > 0 && tally.missing_uploads == 0 && tally.duplicate_keys == 0 &&
                  tally.bad_files == 0 && tally.served_temp_files == 0 && final_tree.bad_files == 0 &&
                  exported_once == tally.acknowledged_uploads;
  std::printf("crash test: %d rounds of kill -9 under load, %lld uploads acknowledged\n"
              "  acknowledged uploads missing after a restart: %lld\n"
              "  keys in more than one served file: %lld\n"
              "  unsigned or partial files visible: %lld (temporary files served: %lld; rounds that left one: %d)\n"
              "  final export: %lld of %lld acknowledged uploads exported exactly once (%lld keys missing, %lld "
              "twice), %d files\n"
              "%s\n",
              flags.rounds, static_cast<long long>(tally.acknowledged_uploads),
              static_cast<long long>(tally.missing_uploads), static_cast<long long>(tally.duplicate_keys),
              static_cast<long long>(tally.bad_files), static_cast<long long>(tally.served_temp_files),
              tally.rounds_with_temp_files, static_cast<long long>(exported_once),
              static_cast<long long>(tally.acknowledged_uploads), static_cast<long long>(not_exported),
              static_cast<long long>(exported_twice), final_tree.files, ok ? "PASS" : "FAIL");
  if (ok) fs::remove_all(dir);
  else std::printf("files kept in %s\n", dir.c_str());
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App app("kill -9 of exposure-server under upload load, then checks", "server_crash");
  app.add_option("--rounds", flags.rounds, "Kill and restart rounds");
  app.add_option("--clients", flags.clients, "Concurrent upload clients");
  app.add_option("--max-kill-ms", flags.max_kill_ms, "Kill within this many ms of a round's start");
  app.add_option("--seed", flags.seed, "Seed of the kill moments (0: random)");
  CLI11_PARSE(app, argc, argv);
  if (flags.rounds < 1) {
    std::fprintf(stderr, "server_crash: --rounds must be at least 1\n");
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  return run(flags);
}
