#include "matching_library_floor.h"

#include <time.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "exposure/crypto.h"
#include "exposure/export_key_source.h"
#include "exposure/keys.h"
#include "exposure/keyfile_verify.h"

namespace exposure::bench {
namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "matching_workload_bench: library floor: %s\n", why.c_str());
  std::exit(2);
}

}  // namespace

LibraryFloor measure_library_floor(const std::vector<std::string>& files, const std::string& key_name,
                                   const std::string& public_key_pem, size_t crypto_keys) {
  LibraryFloor floor;
  auto key = keyfile::make_verification_key(key_name, as_bytes(public_key_pem));
  if (!key.ok()) fail(key.status().message());
  std::vector<uint8_t> teks;
  teks.reserve(16 * crypto_keys);

  double start = thread_cpu_seconds();
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));
  ExportFilesKeySource source(files, std::move(sets), false);
  for (;;) {
    auto next = source.next();
    if (!next.ok()) fail(next.status().message());
    if (!next->has_value()) break;
    ++floor.keys_read;
    if (teks.size() < 16 * crypto_keys) teks.insert(teks.end(), (*next)->key_data.begin(), (*next)->key_data.end());
  }
  if (floor.keys_read == 0) fail("no keys in the files");
  floor.read_and_verify_us = (thread_cpu_seconds() - start) * 1e6 / static_cast<double>(floor.keys_read);

  constexpr size_t kGroup = 8;  // as the matcher groups keys for derive_many
  const size_t n = teks.size() / 16 / kGroup * kGroup;
  if (n == 0) fail("fewer keys than one group");
  std::vector<uint8_t> rpiks(16 * n);
  crypto::ZeroSaltHkdf16 hkdf(kRpikHkdfInfo);
  start = thread_cpu_seconds();
  for (size_t k = 0; k < n; k += kGroup) hkdf.derive_many(teks.data() + 16 * k, kGroup, rpiks.data() + 16 * k);
  floor.rpik_us = (thread_cpu_seconds() - start) * 1e6 / static_cast<double>(n);

  alignas(64) std::array<uint8_t, 16 * 144> padded{}, rpis{};
  for (uint32_t j = 0; j < 144; ++j) std::memcpy(padded.data() + 16 * j, rpi_padded_data(2646000 + j).data(), 16);
  static constexpr uint8_t kZero[16] = {0};
  crypto::Aes128Ecb aes(kZero);
  start = thread_cpu_seconds();
  for (size_t k = 0; k < n; ++k) {
    aes.rekey(rpiks.data() + 16 * k);
    aes.encrypt_blocks(padded.data(), rpis.data(), 144);
  }
  floor.rpis_us = (thread_cpu_seconds() - start) * 1e6 / static_cast<double>(n);
  return floor;
}

}  // namespace exposure::bench
