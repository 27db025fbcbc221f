// The deployed native pre-filter (Google's matching_helper.cc / prefix_id_map.cc as the
// docs/matching.md describes it), written plainly as the benchmarks' baseline:
// every stored RPI in one vector sorted by its first two bytes read as a little-endian
// uint16, a 65,536-entry table of bucket ends, RPIK by HKDF through the crypto facade, the
// 144 padded blocks of a key encrypted in one AES-ECB call, and a linear memcmp over the
// bucket of each candidate RPI, stopping at the first hit. (The AES context is allocated
// once and re-keyed per key, which only makes the baseline faster.)
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "exposure/crypto.h"
#include "exposure/diagnosis_key.h"
#include "exposure/sighting.h"

namespace exposure::bench {

class BaselinePrefilter {
 public:
  explicit BaselinePrefilter(std::span<const Sighting> sightings);
  // True when any of the key's 144 RPIs (whatever its rolling period) was seen.
  bool any_rpi_seen(const DiagnosisKey& key);

 private:
  bool contains(const uint8_t* rpi) const;

  std::vector<Rpi> sorted_rpis_;
  std::vector<uint32_t> prefix_end_index_;  // 65,536 entries
  std::array<uint8_t, 144 * 16> padded_{};
  std::array<uint8_t, 144 * 16> rpis_{};
  crypto::Aes128Ecb aes_;  // one context, re-keyed per key
};

}  // namespace exposure::bench
