#include "baseline_matcher.h"

#include <algorithm>
#include <cstring>

#include "exposure/keys.h"

namespace exposure::bench {
namespace {

uint16_t prefix_of(const uint8_t* rpi) {
  uint16_t p;
  std::memcpy(&p, rpi, 2);  // host order, as the native code reads it
  return p;
}

}  // namespace

namespace {
constexpr uint8_t kNoKey[16] = {0};
}  // namespace

BaselinePrefilter::BaselinePrefilter(std::span<const Sighting> sightings)
    : prefix_end_index_(65536, 0), aes_(kNoKey) {
  sorted_rpis_.reserve(sightings.size());
  for (const Sighting& s : sightings) sorted_rpis_.push_back(s.rpi);
  std::sort(sorted_rpis_.begin(), sorted_rpis_.end(),
            [](const Rpi& a, const Rpi& b) { return prefix_of(a.data()) < prefix_of(b.data()); });
  for (const Rpi& rpi : sorted_rpis_) ++prefix_end_index_[prefix_of(rpi.data())];
  for (size_t p = 1; p < prefix_end_index_.size(); ++p) prefix_end_index_[p] += prefix_end_index_[p - 1];
  for (uint32_t j = 0; j < 144; ++j) {
    auto block = rpi_padded_data(j);
    std::memcpy(padded_.data() + 16 * j, block.data(), 12);  // the interval is written per key
  }
}

bool BaselinePrefilter::contains(const uint8_t* rpi) const {
  uint16_t p = prefix_of(rpi);
  uint32_t begin = p == 0 ? 0 : prefix_end_index_[p - 1];
  for (uint32_t i = begin; i < prefix_end_index_[p]; ++i) {
    if (std::memcmp(sorted_rpis_[i].data(), rpi, 16) == 0) return true;
  }
  return false;
}

bool BaselinePrefilter::any_rpi_seen(const DiagnosisKey& key) {
  auto rpik = derive_rpi_key(key.key_data);  // HKDF through the facade
  for (uint32_t j = 0; j < 144; ++j) {
    uint32_t interval = key.rolling_start_interval_number + j;
    std::memcpy(padded_.data() + 16 * j + 12, &interval, 4);
  }
  aes_.rekey(rpik.data());
  aes_.encrypt_blocks(padded_.data(), rpis_.data(), 144);
  for (uint32_t j = 0; j < 144; ++j) {
    if (contains(rpis_.data() + 16 * j)) return true;
  }
  return false;
}

}  // namespace exposure::bench
