// exposure store keygen|import|export|stats|rotate-key|wipe: the encrypted device store from
// the command line (sightings CSV in and out, counts as JSON).
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "commands.h"
#include "exposure/sightings_csv.h"
#include "exposure/store.h"

namespace exposure::cli {
namespace {

using nlohmann::json;

struct StoreArgs {
  std::string store;
  std::string key_file;
  std::optional<int64_t> now;
};

// Adds --store, --key-file and --now to `sub`.
void add_store_options(CLI::App* sub, StoreArgs& args, bool with_key) {
  sub->add_option("--store", args.store, "Store directory (files store.db, store.db-wal)")
      ->required();
  if (with_key) {
    sub->add_option("--key-file", args.key_file,
                    "Storage key: 32 raw bytes or 64 hex digits (see `store keygen`)")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_option("--now", args.now,
                    "Unix seconds taken as now for the 14-day retention (default: the clock)");
  }
}

// The key in `path`; a file that holds no key is a usage error naming --key-file.
StorageKey load_key(const std::string& option, const std::string& path) {
  auto key = read_storage_key_file(path);
  if (!key.ok()) throw CLI::ValidationError(option, key.status().message());
  return *key;
}

// Opens the store the arguments name; prints the error and returns null on failure.
std::unique_ptr<Store> open_store(const StoreArgs& args, bool create, const Clock& clock) {
  StoreOptions options;
  options.clock = &clock;
  options.create_if_missing = create;
  auto store = Store::open(args.store, load_key("--key-file", args.key_file), options);
  if (!store.ok()) {
    print_error(store.status().message());
    return nullptr;
  }
  return std::move(*store);
}

// Runs `body` with the clock the arguments ask for.
template <typename Body>
int with_clock(const StoreArgs& args, Body body) {
  if (args.now) {
    ManualClock clock(*args.now);
    return body(clock);
  }
  SystemClock clock;
  return body(clock);
}

int run_import(const StoreArgs& args, const std::string& csv_path) {
  std::vector<Sighting> sightings;
  Status read = read_sightings_csv_file(csv_path, &sightings);
  if (!read.ok()) {
    print_error(read.message());
    return kExitFailure;
  }
  return with_clock(args, [&](const Clock& clock) {
    auto store = open_store(args, /*create=*/true, clock);
    if (!store) return kExitFailure;
    auto report = store->add_sightings(sightings);
    if (!report.ok()) {
      print_error(report.status().message());
      return kExitFailure;
    }
    std::cout << json{{"stored", report->stored}, {"expired", report->expired}}.dump() << "\n";
    return kExitOk;
  });
}

int run_export(const StoreArgs& args) {
  return with_clock(args, [&](const Clock& clock) {
    auto store = open_store(args, /*create=*/false, clock);
    if (!store) return kExitFailure;
    std::vector<Sighting> sightings;
    Status loaded = store->load_sightings(&sightings);
    if (!loaded.ok()) {
      print_error(loaded.message());
      return kExitFailure;
    }
    std::ios::sync_with_stdio(false);
    write_sightings_csv(std::cout, sightings);
    std::cout.flush();
    return std::cout ? kExitOk : kExitFailure;
  });
}

json stats_json(const StoreStats& stats) {
  json days = json::array();
  for (const auto& [day, sightings] : stats.sightings_per_day) {
    days.push_back({{"day", format_utc_day(day)}, {"sightings", sightings}});
  }
  const uint64_t total_bytes = stats.database_bytes + stats.wal_bytes;
  json out = {
      {"sightings", stats.sightings},
      {"chunks", stats.chunks},
      {"own_keys", stats.own_keys},
      {"days_covered", stats.sightings_per_day.size()},
      {"first_day", nullptr},
      {"last_day", nullptr},
      {"days", days},
      {"bytes_on_disk",
       {{"database", stats.database_bytes}, {"wal", stats.wal_bytes}, {"total", total_bytes}}},
      {"bytes_per_sighting", nullptr},
  };
  if (!stats.sightings_per_day.empty()) {
    out["first_day"] = format_utc_day(stats.sightings_per_day.begin()->first);
    out["last_day"] = format_utc_day(stats.sightings_per_day.rbegin()->first);
  }
  if (stats.sightings > 0) {
    out["bytes_per_sighting"] =
        static_cast<double>(total_bytes) / static_cast<double>(stats.sightings);
  }
  return out;
}

int run_stats(const StoreArgs& args) {
  return with_clock(args, [&](const Clock& clock) {
    auto store = open_store(args, /*create=*/false, clock);
    if (!store) return kExitFailure;
    auto stats = store->stats();
    if (!stats.ok()) {
      print_error(stats.status().message());
      return kExitFailure;
    }
    std::cout << stats_json(*stats).dump(2) << "\n";
    return kExitOk;
  });
}

int run_rotate(const StoreArgs& args, const std::string& new_key_file) {
  StorageKey new_key = load_key("--new-key-file", new_key_file);
  return with_clock(args, [&](const Clock& clock) {
    auto store = open_store(args, /*create=*/false, clock);
    if (!store) return kExitFailure;
    Status rotated = store->rotate_key(new_key);
    if (!rotated.ok()) {
      print_error(rotated.message());
      return kExitFailure;
    }
    return kExitOk;
  });
}

int run_keygen(const std::string& key_file) {
  Status written = write_storage_key_file(key_file, generate_storage_key());
  if (!written.ok()) {
    print_error(written.message());
    return kExitFailure;
  }
  return kExitOk;
}

int run_wipe(const std::string& directory) {
  Status wiped = wipe_store(directory);
  if (!wiped.ok()) {
    print_error(wiped.message());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command add_store_command(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("store", "The encrypted on-device store of sightings and own keys");
  sub->require_subcommand(1);

  auto keygen_file = std::make_shared<std::string>();
  CLI::App* keygen =
      sub->add_subcommand("keygen", "Write a new random storage key (64 hex digits, mode 0600)");
  keygen->add_option("--key-file", *keygen_file, "Key file to create (never overwritten)")
      ->required();

  auto import_args = std::make_shared<StoreArgs>();
  auto csv_path = std::make_shared<std::string>();
  CLI::App* import = sub->add_subcommand("import", "Add the sightings of a CSV file as one batch");
  add_store_options(import, *import_args, true);
  import
      ->add_option("--sightings", *csv_path,
                   "CSV with columns rpi,aem,time,rssi[,previous_scan_time]")
      ->required()
      ->check(CLI::ExistingFile);

  auto export_args = std::make_shared<StoreArgs>();
  CLI::App* exporter = sub->add_subcommand("export", "Print every retained sighting as CSV");
  add_store_options(exporter, *export_args, true);

  auto stats_args = std::make_shared<StoreArgs>();
  CLI::App* stats =
      sub->add_subcommand("stats", "Print counts, days covered and bytes on disk as JSON");
  add_store_options(stats, *stats_args, true);

  auto rotate_args = std::make_shared<StoreArgs>();
  auto new_key_file = std::make_shared<std::string>();
  CLI::App* rotate = sub->add_subcommand("rotate-key", "Re-encrypt the store under a new key");
  add_store_options(rotate, *rotate_args, true);
  rotate->add_option("--new-key-file", *new_key_file, "The new storage key")
      ->required()
      ->check(CLI::ExistingFile);

  auto wipe_args = std::make_shared<StoreArgs>();
  CLI::App* wipe =
      sub->add_subcommand("wipe", "Overwrite and delete every store file (no key needed)");
  add_store_options(wipe, *wipe_args, false);

  return {sub, [=] {
            if (keygen->parsed()) return run_keygen(*keygen_file);
            if (import->parsed()) return run_import(*import_args, *csv_path);
            if (exporter->parsed()) return run_export(*export_args);
            if (stats->parsed()) return run_stats(*stats_args);
            if (rotate->parsed()) return run_rotate(*rotate_args, *new_key_file);
            return run_wipe(wipe_args->store);
          }};
}

}  // namespace exposure::cli
