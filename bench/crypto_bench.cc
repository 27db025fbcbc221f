// GAEN derivation rates for the crypto backend this binary links: HKDF (RPIK) per second,
// 144-RPI batches per second, AEM decryptions per second.
#include <benchmark/benchmark.h>

#include <vector>

#include "exposure/crypto.h"
#include "exposure/keys.h"

namespace exposure {
namespace {

KeyData sample_tek() {
  KeyData tek;
  crypto::random_bytes(MutableByteView(tek.data(), tek.size()));
  return tek;
}

void BM_HkdfRpik(benchmark::State& state) {
  KeyData tek = sample_tek();
  for (auto _ : state) {
    auto rpik = derive_rpi_key(tek);
    benchmark::DoNotOptimize(rpik.data());
    tek[0]++;
  }
  state.counters["hkdf/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(crypto::backend_name());
}
BENCHMARK(BM_HkdfRpik);

void BM_Rpi144Batch(benchmark::State& state) {
  auto rpik = derive_rpi_key(sample_tek());
  std::vector<Rpi> rpis(144);
  EnIntervalNumber start = 2642976;
  for (auto _ : state) {
    rolling_proximity_ids(rpik, start, rpis.size(), rpis.data());
    benchmark::DoNotOptimize(rpis.data());
    start += 144;
  }
  state.counters["batches/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(crypto::backend_name());
}
BENCHMARK(BM_Rpi144Batch);

void BM_AemDecrypt(benchmark::State& state) {
  KeyData tek = sample_tek();
  auto aemk = derive_aem_key(tek);
  Rpi rpi = rolling_proximity_id(derive_rpi_key(tek), 2642976);
  Aem aem = encrypt_metadata(aemk, rpi, {0x40, 0x08, 0, 0});
  for (auto _ : state) {
    auto metadata = decrypt_metadata(aemk, rpi, aem);
    benchmark::DoNotOptimize(metadata.data());
    rpi[0]++;
  }
  state.counters["decrypts/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(crypto::backend_name());
}
BENCHMARK(BM_AemDecrypt);

}  // namespace
}  // namespace exposure
