#include "store/records.h"

#include <cstring>
#include <string>

namespace exposure::store_internal {
namespace {

constexpr uint8_t kRecordVersion = 1;
constexpr uint8_t kSummaryVersion = 2;  // 1: without app-state generations
constexpr size_t kSummaryFixedBytes = 1 + 8 + 8 + 4 + 4;
constexpr size_t kSummaryDayBytes = 4 + 8 + 8;
constexpr size_t kSummarySlotBytes = 1 + 8;
constexpr size_t kOwnKeyBytes = 16 + 4 + 4;

// Writes little-endian integers into a preallocated plaintext buffer.
class Writer {
 public:
  explicit Writer(uint8_t* p) : p_(p) {}
  void u8(uint8_t v) { *p_++ = v; }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void bytes(const uint8_t* data, size_t n) {
    std::memcpy(p_, data, n);
    p_ += n;
  }

 private:
  void put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) *p_++ = static_cast<uint8_t>(v >> (8 * i));
  }
  uint8_t* p_;
};

bool read_u64_le(ByteReader& r, uint64_t* out) {
  uint32_t lo = 0, hi = 0;
  if (!r.read_u32_le(&lo) || !r.read_u32_le(&hi)) return false;
  *out = (uint64_t{hi} << 32) | lo;
  return true;
}

Status corrupt(const std::string& what) { return {ErrorCode::kCorrupt, what}; }

}  // namespace

uint64_t Summary::total_sightings() const {
  uint64_t total = 0;
  for (const auto& [day, totals] : days) total += totals.sightings;
  return total;
}

uint64_t Summary::total_chunks() const {
  uint64_t total = 0;
  for (const auto& [day, totals] : days) total += totals.chunks;
  return total;
}

void encode_summary(const Summary& summary, PlaintextBuffer* out) {
  Writer w(out->reset_to(kSummaryFixedBytes + summary.days.size() * kSummaryDayBytes + 1 +
                         summary.app_state_generations.size() * kSummarySlotBytes));
  w.u8(kSummaryVersion);
  w.u64(summary.next_chunk_id);
  w.u64(summary.own_keys_generation);
  w.u32(summary.own_key_count);
  w.u32(static_cast<uint32_t>(summary.days.size()));
  for (const auto& [day, totals] : summary.days) {
    w.u32(day);
    w.u64(totals.chunks);
    w.u64(totals.sightings);
  }
  w.u8(static_cast<uint8_t>(summary.app_state_generations.size()));
  for (const auto& [slot, generation] : summary.app_state_generations) {
    w.u8(slot);
    w.u64(generation);
  }
}

Status decode_summary(ByteView bytes, Summary* out) {
  ByteReader r(bytes);
  uint8_t version = 0;
  uint32_t day_count = 0;
  Summary s;
  if (!r.read_u8(&version) || !read_u64_le(r, &s.next_chunk_id) ||
      !read_u64_le(r, &s.own_keys_generation) || !r.read_u32_le(&s.own_key_count) ||
      !r.read_u32_le(&day_count)) {
    return corrupt("summary record truncated");
  }
  if (version != 1 && version != kSummaryVersion)
    return corrupt("unknown summary version " + std::to_string(version));
  if (version == 1 && r.remaining() != uint64_t{day_count} * kSummaryDayBytes) {
    return corrupt("summary record has " + std::to_string(r.remaining()) + " bytes for " +
                   std::to_string(day_count) + " days");
  }
  for (uint32_t i = 0; i < day_count; ++i) {
    uint32_t day = 0;
    DayTotals totals;
    if (!r.read_u32_le(&day) || !read_u64_le(r, &totals.chunks) ||
        !read_u64_le(r, &totals.sightings)) {
      return corrupt("summary record truncated");
    }
    if (!s.days.emplace(day, totals).second) {
      return corrupt("summary lists day " + std::to_string(day) + " twice");
    }
  }
  if (version == kSummaryVersion) {
    uint8_t slot_count = 0;
    if (!r.read_u8(&slot_count) || r.remaining() != size_t{slot_count} * kSummarySlotBytes) {
      return corrupt("summary record's app-state list is truncated or too long");
    }
    for (uint8_t i = 0; i < slot_count; ++i) {
      uint8_t slot = 0;
      uint64_t generation = 0;
      r.read_u8(&slot);
      read_u64_le(r, &generation);
      if (generation == 0 || !s.app_state_generations.emplace(slot, generation).second) {
        return corrupt("summary lists app-state slot " + std::to_string(slot) + " twice or with generation 0");
      }
    }
  }
  *out = std::move(s);
  return Status::Ok();
}

void encode_own_keys(std::span<const TemporaryExposureKey> keys, PlaintextBuffer* out) {
  Writer w(out->reset_to(1 + 4 + keys.size() * kOwnKeyBytes));
  w.u8(kRecordVersion);
  w.u32(static_cast<uint32_t>(keys.size()));
  for (const auto& key : keys) {
    w.bytes(key.key_data.data(), key.key_data.size());
    w.u32(key.rolling_start_interval_number);
    w.u32(key.rolling_period);
  }
}

Status decode_own_keys(ByteView bytes, std::vector<TemporaryExposureKey>* out) {
  ByteReader r(bytes);
  uint8_t version = 0;
  uint32_t count = 0;
  if (!r.read_u8(&version) || !r.read_u32_le(&count)) return corrupt("own-key record truncated");
  if (version != kRecordVersion) {
    return corrupt("unknown own-key record version " + std::to_string(version));
  }
  if (r.remaining() != uint64_t{count} * kOwnKeyBytes) {
    return corrupt("own-key record has " + std::to_string(r.remaining()) + " bytes for " +
                   std::to_string(count) + " keys");
  }
  std::vector<TemporaryExposureKey> keys(count);
  for (auto& key : keys) {
    ByteView data;
    r.read_bytes(16, &data);
    std::memcpy(key.key_data.data(), data.data(), 16);
    r.read_u32_le(&key.rolling_start_interval_number);
    r.read_u32_le(&key.rolling_period);
    if (key.rolling_period < 1 || key.rolling_period > kTekRollingPeriod) {
      return corrupt("own key with rolling_period " + std::to_string(key.rolling_period));
    }
  }
  *out = std::move(keys);
  return Status::Ok();
}

}  // namespace exposure::store_internal
