// The matcher's view of the sightings: a small filter that answers "could a sighting with
// this RPI have been received within +-12 intervals of interval i?" from cache, an exact
// RPI -> sightings table behind it, and a bitmap of the intervals that have any sighting
// nearby (to skip keys, or parts of keys, that cannot match). See docs/matching.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

#include "exposure/interval.h"
#include "exposure/keys.h"
#include "exposure/sighting.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace exposure::matching {

class SightingIndex {
 public:
  // Indexes `sightings` (not copied: they must outlive the index). 10-15 bytes per
  // sighting: 4 for the exact table, 1-2 for its buckets, about 6 for the filter.
  explicit SightingIndex(std::span<const Sighting> sightings);

  // Narrows [first, first + count) to the sub-range of intervals that have a sighting within
  // +-12 intervals: sets *lo and *count_out and returns true, or returns false when there
  // is none.
  bool narrow_to_sighted(EnIntervalNumber first, uint32_t count, EnIntervalNumber* lo,
                         uint32_t* count_out) const;

  // Sightings that can match an RPI of UTC day d (intervals [144d - 12, 144d + 155]).
  struct Partition {
    uint32_t first_bucket = 0;
    uint32_t buckets = 1;
  };

  // The filter partition for RPIs of `interval`'s day; nullptr when no sighting can match
  // any RPI of that day.
  const Partition* partition_for(EnIntervalNumber interval) const {
    uint32_t day = interval / kTekRollingPeriod;
    if (day - first_day_ >= partitions_.size()) return nullptr;
    return &partitions_[day - first_day_];
  }

  // False when no sighting with this RPI was received within +-12 intervals of an interval
  // of the partition's day; true means "probably" (a false positive about once in 10,000
  // lookups).
  bool may_contain(const Partition& part, const Rpi& rpi) const {
    return may_contain(slots_.data() + kSlots * part.first_bucket, part, rpi);
  }

  // The same, with the partition's first bucket already located (probe loops hoist it).
  bool may_contain(const uint16_t* partition_slots, const Partition& part, const Rpi& rpi) const {
    uint32_t bucket_bits;
    std::memcpy(&bucket_bits, rpi.data(), 4);
    uint16_t fingerprint = fingerprint_of(rpi);
    auto bucket = static_cast<uint32_t>((uint64_t{bucket_bits} * part.buckets) >> 32);
    const uint16_t* slots = partition_slots + kSlots * bucket;
    if (bucket_has(slots, fingerprint)) [[unlikely]] return true;
    if (slots[kSlots - 1] == kEmpty) [[likely]] return false;  // not full: nothing spilled over
    return overflow_has(part, bucket, fingerprint);
  }

  const uint16_t* partition_slots(const Partition& part) const { return slots_.data() + kSlots * part.first_bucket; }

  // The same for one RPI of `interval`.
  bool may_contain(const Rpi& rpi, EnIntervalNumber interval) const {
    const Partition* part = partition_for(interval);
    return part != nullptr && may_contain(*part, rpi);
  }

  // Appends to *out the positions of every sighting whose RPI equals `rpi`, ascending.
  void find(const Rpi& rpi, std::vector<uint32_t>* out) const;

  std::span<const Sighting> sightings() const { return sightings_; }
  size_t memory_bytes() const;

 private:
  static constexpr uint32_t kSlots = 8;  // 16-bit fingerprints per bucket: 16 bytes
  static constexpr uint16_t kEmpty = 0;

  // RPI bytes 8-9 with the lowest bit set: 0 marks an empty slot. (15 bits of fingerprint:
  // a false positive once in ~30,000 lookups at three entries per bucket.)
  static uint16_t fingerprint_of(const Rpi& rpi) {
    uint16_t f;
    std::memcpy(&f, rpi.data() + 8, 2);
    return static_cast<uint16_t>(f | 1);
  }

  static bool bucket_has(const uint16_t* slots, uint16_t fingerprint) {
#if defined(__SSE2__)
    __m128i lanes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(slots));
    return _mm_movemask_epi8(_mm_cmpeq_epi16(lanes, _mm_set1_epi16(static_cast<short>(fingerprint)))) != 0;
#else
    for (uint32_t i = 0; i < kSlots; ++i)
      if (slots[i] == fingerprint) return true;
    return false;
#endif
  }

  // Linear probing: a full bucket's later entries sit in the following buckets.
  bool overflow_has(const Partition& part, uint32_t bucket, uint16_t fingerprint) const;

  void build_filter();
  void build_exact_table();
  void build_sighted_bitmap();

  std::span<const Sighting> sightings_;
  // Filter: per day, 8-slot buckets of 16-bit fingerprints (RPI bytes 8-9), chosen by RPI
  // bytes 0-3 (multiplied into the bucket count); filled in order, 0 = empty.
  uint32_t first_day_ = 0;
  std::vector<Partition> partitions_;
  std::vector<uint16_t> slots_;
  // Exact table: buckets on RPI bytes 10-13; positions of the sightings in each bucket.
  uint32_t exact_mask_ = 0;
  std::vector<uint32_t> exact_bounds_;
  std::vector<uint32_t> exact_positions_;
  // Bit i - sighted_base_ is set when a sighting's interval is within +-12 of i.
  EnIntervalNumber sighted_base_ = 0;
  std::vector<uint64_t> sighted_;
};

}  // namespace exposure::matching
