// Device store: sightings ingested per second (batches of several sizes, one transaction and
// one fsync each), sightings loaded per second (load_sightings of 100,000), and bytes per
// sighting on disk for scanner-shaped data and for the worst case of one advertisement per
// RPI per scan.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "exposure/store.h"
#include "support/sighting_generator.h"
#include "support/temp_dir.h"

namespace exposure {
namespace {

constexpr int64_t kStart = 1585785600;  // 2020-04-02T00:00Z

// Four days of scans every 5 minutes; `per_device` advertisements per device per scan.
std::vector<Sighting> scans(uint32_t devices, uint32_t per_device, uint32_t total) {
  testing::ScanPattern pattern;
  pattern.first_scan_time = kStart;
  pattern.devices_per_scan = devices;
  pattern.sightings_per_device = per_device;
  pattern.scans = total / (devices * per_device);
  return testing::simulate_scans(pattern);
}

std::unique_ptr<Store> open(const std::string& dir, const StorageKey& key, const Clock& clock) {
  StoreOptions options;
  options.clock = &clock;
  auto store = Store::open(dir, key, options);
  if (!store.ok()) std::abort();
  return std::move(*store);
}

uint64_t bytes_on_disk(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) total += entry.file_size();
  return total;
}

void BM_IngestBatch(benchmark::State& state) {
  const auto batch_size = static_cast<uint32_t>(state.range(0));
  const auto pool = scans(25, 4, 200000);
  testing::TempDir dir;
  ManualClock clock(kStart + 4 * 86400);
  StorageKey key = generate_storage_key();
  auto store = open(dir.path(), key, clock);
  size_t offset = 0;
  for (auto _ : state) {
    if (offset + batch_size > pool.size()) offset = 0;
    auto report = store->add_sightings(std::span(pool).subspan(offset, batch_size));
    if (!report.ok()) state.SkipWithError(report.status().to_string().c_str());
    offset += batch_size;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * batch_size);
}
BENCHMARK(BM_IngestBatch)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Loads a store of 100,000 sightings; reports bytes per sighting on disk (database + WAL
// after the writer closed, i.e. the checkpointed file) for `per_device` advertisements per
// device per scan.
void BM_Load100k(benchmark::State& state) {
  const auto per_device = static_cast<uint32_t>(state.range(0));
  const auto sightings = scans(per_device == 1 ? 100 : 25, per_device, 100000);
  testing::TempDir dir;
  ManualClock clock(kStart + 4 * 86400);
  StorageKey key = generate_storage_key();
  {
    auto writer = open(dir.path(), key, clock);
    for (size_t begin = 0; begin < sightings.size(); begin += 1000) {
      const size_t n = std::min<size_t>(1000, sightings.size() - begin);
      if (!writer->add_sightings(std::span(sightings).subspan(begin, n)).ok()) std::abort();
    }
  }
  const double bytes_per_sighting =
      static_cast<double>(bytes_on_disk(dir.path())) / static_cast<double>(sightings.size());
  auto store = open(dir.path(), key, clock);
  for (auto _ : state) {
    std::vector<Sighting> loaded;
    Status status = store->load_sightings(&loaded);
    if (!status.ok() || loaded.size() != sightings.size()) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(loaded.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sightings.size()));
  state.counters["bytes_per_sighting"] = bytes_per_sighting;
  state.counters["sightings"] = static_cast<double>(sightings.size());
}
BENCHMARK(BM_Load100k)
    ->ArgName("adverts_per_scan")
    ->Arg(4)
    ->Arg(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace exposure
