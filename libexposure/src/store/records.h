// Plaintext encodings of the store's two small records (before sealing):
//
//   summary  := version:u8 (=2) next_chunk_id:u64le own_keys_generation:u64le
//               own_key_count:u32le day_count:u32le (day:u32le chunks:u64le sightings:u64le)*
//               slot_count:u8 (slot:u8 generation:u64le)*
//               (version 1, written before app state existed, ends after the days)
//   own keys := version:u8 (=1) count:u32le (key_data[16] start:u32le period:u32le)*
//
// The summary is what makes deleted, re-added or replayed records detectable: it holds the
// next chunk id (ids are never reused), the per-day chunk and sighting counts, and the
// generation of the own-key record and of each app-state record.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/keys.h"
#include "exposure/status.h"
#include "store/sealing.h"

namespace exposure::store_internal {

struct DayTotals {
  uint64_t chunks = 0;
  uint64_t sightings = 0;
  bool operator==(const DayTotals&) const = default;
};

struct Summary {
  uint64_t next_chunk_id = 1;
  uint64_t own_keys_generation = 0;  // 0: no own-key record yet
  uint32_t own_key_count = 0;
  std::map<uint32_t, DayTotals> days;
  std::map<uint8_t, uint64_t> app_state_generations;  // slot -> generation of its record

  uint64_t total_sightings() const;
  uint64_t total_chunks() const;
  bool operator==(const Summary&) const = default;
};

void encode_summary(const Summary& summary, PlaintextBuffer* out);
// kCorrupt when the bytes do not follow the format.
Status decode_summary(ByteView bytes, Summary* out);

void encode_own_keys(std::span<const TemporaryExposureKey> keys, PlaintextBuffer* out);
// kCorrupt when the bytes do not follow the format or a period is outside 1..144.
Status decode_own_keys(ByteView bytes, std::vector<TemporaryExposureKey>* out);

}  // namespace exposure::store_internal
