// exposure_baseline_match: the deployed native matcher's algorithm as a whole process, for
// the whole-workload benchmark. Reads and verifies key files and sightings exactly as
// `exposure match` does (same library code), then runs the baseline pre-filter
// (baseline_matcher.h) over every key and prints the keys it passes on as JSON:
//   {"keys_processed": N, "candidate_keys": ["hex", ...]}
// Usage: exposure_baseline_match (--sightings FILE.csv | --store DIR --key-file K --now UNIX)
//        --keys FILE... (--public-key ID-VERSION=PEM-FILE | --insecure-skip-verify)
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "baseline_matcher.h"
#include "exposure/export_key_source.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"

namespace {

int usage(const char* why) {
  std::fprintf(stderr, "exposure_baseline_match: %s\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace exposure;
  std::string sightings_path, store_dir, key_file;
  int64_t now = 0;
  std::vector<std::string> keys, public_keys;
  bool insecure = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--sightings" && i + 1 < argc) {
      sightings_path = argv[++i];
    } else if (arg == "--store" && i + 1 < argc) {
      store_dir = argv[++i];
    } else if (arg == "--key-file" && i + 1 < argc) {
      key_file = argv[++i];
    } else if (arg == "--now" && i + 1 < argc) {
      now = std::stoll(argv[++i]);
    } else if (arg == "--keys") {
      while (i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0) keys.push_back(argv[++i]);
    } else if (arg == "--public-key" && i + 1 < argc) {
      public_keys.push_back(argv[++i]);
    } else if (arg == "--insecure-skip-verify") {
      insecure = true;
    } else {
      return usage(("unknown argument " + arg).c_str());
    }
  }
  if ((sightings_path.empty() == store_dir.empty()) || keys.empty())
    return usage("--keys and one of --sightings or --store are required");
  std::vector<keyfile::CosignSet> sets;
  for (const std::string& spec : public_keys) {
    auto eq = spec.find('=');
    if (eq == std::string::npos) return usage("--public-key: expected ID-VERSION=PEM-FILE");
    std::ifstream in(spec.substr(eq + 1));
    std::stringstream pem;
    pem << in.rdbuf();
    auto key = keyfile::make_verification_key(spec.substr(0, eq), as_bytes(pem.str()));
    if (!key.ok()) return usage(("--public-key: " + key.status().message()).c_str());
    sets.emplace_back();
    sets.back().push_back(std::move(*key));
  }
  std::vector<Sighting> sightings;
  Status loaded = Status::Ok();
  if (!sightings_path.empty()) {
    loaded = read_sightings_csv_file(sightings_path, &sightings);
  } else {
    auto storage_key = read_storage_key_file(key_file);
    ManualClock clock(now);
    StoreOptions options;
    options.clock = &clock;
    options.create_if_missing = false;
    auto store = storage_key.ok() ? Store::open(store_dir, *storage_key, options)
                                  : Result<std::unique_ptr<Store>>(storage_key.status());
    loaded = store.ok() ? (*store)->load_sightings(&sightings) : store.status();
  }
  if (!loaded.ok()) {
    std::fprintf(stderr, "exposure_baseline_match: %s\n", loaded.message().c_str());
    return 1;
  }
  bench::BaselinePrefilter prefilter(sightings);
  ExportFilesKeySource source(keys, std::move(sets), insecure);
  uint64_t processed = 0;
  std::string candidates;
  for (;;) {
    auto key = source.next();
    if (!key.ok()) {
      std::fprintf(stderr, "exposure_baseline_match: %s\n", key.status().message().c_str());
      return 1;
    }
    if (!key->has_value()) break;
    ++processed;
    if (prefilter.any_rpi_seen(**key)) {
      candidates += (candidates.empty() ? "\"" : ", \"") + to_hex((*key)->key_data) + "\"";
    }
  }
  std::printf("{\"keys_processed\": %llu, \"candidate_keys\": [%s]}\n", static_cast<unsigned long long>(processed),
              candidates.c_str());
  return 0;
}
