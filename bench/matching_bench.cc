// Matching, stage by stage (docs/benchmarks.md): RPIK derivation (facade HKDF vs the
// precomputed zero-salt HKDF), 144-RPI batches, filter lookups, index construction, and
// in-process matching of keys against 100k and 1M sightings for the matcher and the
// deployed-algorithm baseline.
#include <benchmark/benchmark.h>

#include <random>

#include "baseline_matcher.h"
#include "exposure/crypto.h"
#include "exposure/keys.h"
#include "exposure/matching.h"
#include "matching/sighting_index.h"
#include "support/matching_workload.h"

namespace exposure {
namespace {

const testing::Workload& workload(size_t sightings) {
  static std::map<size_t, testing::Workload> cache;
  auto it = cache.find(sightings);
  if (it == cache.end()) {
    testing::WorkloadOptions o;
    o.keys = 200000;
    o.noise_sightings = sightings;
    o.planted_keys = 100;
    it = cache.emplace(sightings, testing::make_workload(o)).first;
  }
  return it->second;
}

void BM_RpikHkdfFacade(benchmark::State& state) {
  KeyData tek{};
  for (auto _ : state) {
    auto rpik = derive_rpi_key(tek);
    benchmark::DoNotOptimize(rpik.data());
    tek[0]++;
  }
  state.counters["keys/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RpikHkdfFacade);

void BM_RpikZeroSaltHkdf(benchmark::State& state) {
  crypto::ZeroSaltHkdf16 hkdf(kRpikHkdfInfo);
  KeyData tek{};
  uint8_t rpik[16];
  for (auto _ : state) {
    hkdf.derive(tek.data(), rpik);
    benchmark::DoNotOptimize(rpik);
    tek[0]++;
  }
  state.counters["keys/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RpikZeroSaltHkdf);

void BM_RpikZeroSaltHkdfMany(benchmark::State& state) {
  crypto::ZeroSaltHkdf16 hkdf(kRpikHkdfInfo);
  uint8_t teks[16 * 16] = {}, rpiks[16 * 16];
  for (auto _ : state) {
    hkdf.derive_many(teks, 16, rpiks);
    benchmark::DoNotOptimize(rpiks);
    teks[0]++;
  }
  state.counters["keys/s"] = benchmark::Counter(state.iterations() * 16.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RpikZeroSaltHkdfMany);

void BM_Rpi144RekeyedContext(benchmark::State& state) {
  uint8_t key[16] = {1};
  crypto::Aes128Ecb aes(key);
  alignas(64) uint8_t in[144 * 16] = {}, out[144 * 16];
  for (auto _ : state) {
    aes.rekey(key);
    aes.encrypt_blocks(in, out, 144);
    benchmark::DoNotOptimize(out);
    key[0]++;
  }
  state.counters["keys/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Rpi144RekeyedContext);

void BM_IndexBuild(benchmark::State& state) {
  const auto& w = workload(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    matching::SightingIndex index(w.sightings);
    benchmark::DoNotOptimize(&index);
  }
  matching::SightingIndex index(w.sightings);
  state.counters["bytes/sighting"] = static_cast<double>(index.memory_bytes()) / w.sightings.size();
}
BENCHMARK(BM_IndexBuild)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_FilterLookup(benchmark::State& state) {
  const auto& w = workload(static_cast<size_t>(state.range(0)));
  matching::SightingIndex index(w.sightings);
  std::mt19937_64 rng(5);
  std::vector<Rpi> probes(4096);
  for (auto& p : probes)
    for (auto& b : p) b = static_cast<uint8_t>(rng());
  EnIntervalNumber day = 2646000 + 144 * 3;
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    hits += index.may_contain(probes[i & 4095], day + (i % 144));
    ++i;
  }
  benchmark::DoNotOptimize(hits);
  state.counters["lookups/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FilterLookup)->Arg(100000)->Arg(1000000);

void BM_MatchKeys(benchmark::State& state) {
  const auto& w = workload(static_cast<size_t>(state.range(0)));
  Matcher matcher(w.sightings);
  size_t matched = 0;
  for (auto _ : state) {
    SpanKeySource source(w.keys);
    auto result = matcher.match(source);
    matched = result->matches.size();
  }
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["keys/s"] = benchmark::Counter(static_cast<double>(state.iterations() * w.keys.size()),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MatchKeys)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_BaselinePrefilterKeys(benchmark::State& state) {
  const auto& w = workload(static_cast<size_t>(state.range(0)));
  bench::BaselinePrefilter baseline(w.sightings);
  size_t candidates = 0;
  size_t keys = 20000;  // the baseline is slow: a slice of the keys
  for (auto _ : state) {
    candidates = 0;
    for (size_t i = 0; i < keys; ++i) candidates += baseline.any_rpi_seen(w.keys[i]);
  }
  state.counters["candidates"] = static_cast<double>(candidates);
  state.counters["keys/s"] = benchmark::Counter(static_cast<double>(state.iterations() * keys),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BaselinePrefilterKeys)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace exposure
