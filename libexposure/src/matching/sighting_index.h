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

// The filter probe compares a fingerprint with a bucket's 16 slots at once: SSE2 on x86-64,
// NEON (Advanced SIMD) on 64-bit ARM, a loop elsewhere.
#if defined(__SSE2__)
#include <emmintrin.h>
#define EXPOSURE_PROBE_SSE2 1
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
#define EXPOSURE_PROBE_NEON 1
#endif

namespace exposure::matching {

class SightingIndex {
 public:
  // Indexes `sightings` (not copied: they must outlive the index). 10-15 bytes per
  // sighting: 4 for the exact table, 1-2 for its buckets, about 6 for the filter.
  explicit SightingIndex(std::span<const Sighting> sightings);
  SightingIndex(const SightingIndex&) = delete;
  SightingIndex& operator=(const SightingIndex&) = delete;

  // A run of consecutive intervals that each have a sighting within +-12 intervals.
  struct IntervalRun {
    EnIntervalNumber first = 0;
    uint32_t count = 0;
  };
  static constexpr size_t kMaxRunsPerKey = (kTekRollingPeriod + 1) / 2;

  // Which filter probe this build compiled: "sse2", "neon" or "scalar".
#if defined(EXPOSURE_PROBE_SSE2)
  static constexpr const char* kProbePath = "sse2";
#elif defined(EXPOSURE_PROBE_NEON)
  static constexpr const char* kProbePath = "neon";
#else
  static constexpr const char* kProbePath = "scalar";
#endif

  // Splits [first, first + count) into its runs of intervals that have a sighting within
  // +-12 intervals (ascending), writes them to out[] and returns how many; 0 when no
  // interval of the range has one. Requires count <= 144 (then out[] needs room for
  // kMaxRunsPerKey runs: runs are separated by at least one interval).
  size_t sighted_runs(EnIntervalNumber first, uint32_t count, IntervalRun* out) const;

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
  // of the partition's day; true means "probably" (a false positive about once in 13,000
  // lookups).
  bool may_contain(const Partition& part, const Rpi& rpi) const {
    return may_contain(partition_slots(part), part, rpi);
  }

  // The same, with the partition's first bucket already located (probe loops hoist it).
  bool may_contain(const uint16_t* partition_slots, const Partition& part, const Rpi& rpi) const {
    uint32_t bucket = bucket_of(rpi, part);
    uint16_t fingerprint = fingerprint_of(rpi);
    const uint16_t* slots = partition_slots + kSlots * bucket;
    if (bucket_has(slots, fingerprint)) [[unlikely]] return true;
    if (slots[kSlots - 1] == kEmpty) [[likely]] return false;  // not full: nothing spilled over
    return overflow_has(part, bucket, fingerprint);
  }

  // False when may_contain() is false for every one of rpis[0, n) in the partition; true
  // when some of them may be there, or probed a full bucket (then ask may_contain() for
  // each). Branch-free: every bucket is compared and the results OR-ed, so the loads of
  // all n probes are in flight together. (Prefetching all buckets in a first pass measured
  // no faster and costs six more instructions per probe.) The SIMD paths put RPI bytes 8-9
  // in every lane: unlike fingerprint_of(), 0 stays 0, which then equals the empty slots, a
  // "maybe" that may_contain() settles (never a false "no").
  bool may_contain_any(const uint16_t* partition_slots, const Partition& part, const Rpi* rpis,
                       size_t n) const {
#if defined(EXPOSURE_PROBE_SSE2)
    __m128i seen = _mm_setzero_si128();
    uint32_t full = 0;
#pragma GCC unroll 4
    for (size_t i = 0; i < n; ++i) {
      const uint16_t* slots = partition_slots + kSlots * bucket_of(rpis[i], part);
      __m128i word = _mm_shufflehi_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(rpis[i].data())), 0);
      __m128i fingerprint = _mm_unpackhi_epi64(word, word);
      __m128i low = _mm_load_si128(reinterpret_cast<const __m128i*>(slots));
      __m128i high = _mm_load_si128(reinterpret_cast<const __m128i*>(slots + 8));
      seen = _mm_or_si128(seen, _mm_or_si128(_mm_cmpeq_epi16(low, fingerprint), _mm_cmpeq_epi16(high, fingerprint)));
      full |= slots[kSlots - 1];
    }
    return (_mm_movemask_epi8(seen) | full) != 0;
#elif defined(EXPOSURE_PROBE_NEON)
    uint16x8_t seen = vdupq_n_u16(0);
    uint32_t full = 0;
#pragma GCC unroll 4
    for (size_t i = 0; i < n; ++i) {
      const uint16_t* slots = partition_slots + kSlots * bucket_of(rpis[i], part);
      uint16_t word;
      std::memcpy(&word, rpis[i].data() + 8, 2);
      uint16x8_t fingerprint = vdupq_n_u16(word);
      seen = vorrq_u16(seen, vorrq_u16(vceqq_u16(vld1q_u16(slots), fingerprint),
                                       vceqq_u16(vld1q_u16(slots + 8), fingerprint)));
      full |= slots[kSlots - 1];
    }
    return (vmaxvq_u16(seen) | full) != 0;
#else
    for (size_t i = 0; i < n; ++i) {
      const uint16_t* slots = partition_slots + kSlots * bucket_of(rpis[i], part);
      if (bucket_has(slots, fingerprint_of(rpis[i])) || slots[kSlots - 1] != kEmpty) return true;
    }
    return false;
#endif
  }

  const uint16_t* partition_slots(const Partition& part) const { return slots() + kSlots * part.first_bucket; }

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
  static constexpr uint32_t kSlots = 16;  // 16-bit fingerprints per bucket: 32 bytes, aligned
  static constexpr uint16_t kEmpty = 0;

  // RPI bytes 8-9, with 0 (which marks an empty slot) read as 1. A false positive about
  // once in 13,000 lookups at five entries per bucket.
  static uint16_t fingerprint_of(const Rpi& rpi) {
    uint16_t f;
    std::memcpy(&f, rpi.data() + 8, 2);
    return static_cast<uint16_t>(f + (f == kEmpty));
  }

  // RPI bytes 0-3 scaled to the partition's bucket count.
  static uint32_t bucket_of(const Rpi& rpi, const Partition& part) {
    uint32_t bits;
    std::memcpy(&bits, rpi.data(), 4);
    return static_cast<uint32_t>((uint64_t{bits} * part.buckets) >> 32);
  }

  static bool bucket_has(const uint16_t* slots, uint16_t fingerprint) {
#if defined(EXPOSURE_PROBE_SSE2)
    __m128i f = _mm_set1_epi16(static_cast<short>(fingerprint));
    __m128i low = _mm_load_si128(reinterpret_cast<const __m128i*>(slots));
    __m128i high = _mm_load_si128(reinterpret_cast<const __m128i*>(slots + 8));
    return _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi16(low, f), _mm_cmpeq_epi16(high, f))) != 0;
#elif defined(EXPOSURE_PROBE_NEON)
    uint16x8_t f = vdupq_n_u16(fingerprint);
    return vmaxvq_u16(
               vorrq_u16(vceqq_u16(vld1q_u16(slots), f), vceqq_u16(vld1q_u16(slots + 8), f))) != 0;
#else
    for (uint32_t i = 0; i < kSlots; ++i)
      if (slots[i] == fingerprint) return true;
    return false;
#endif
  }

  // The buckets, 32-byte aligned inside slot_storage_.
  const uint16_t* slots() const { return slot_storage_.data() + slot_offset_; }
  uint16_t* slots() { return slot_storage_.data() + slot_offset_; }

  // Linear probing: a full bucket's later entries sit in the following buckets.
  bool overflow_has(const Partition& part, uint32_t bucket, uint16_t fingerprint) const;

  void build_filter();
  void build_exact_table();
  void build_sighted_bitmap();

  std::span<const Sighting> sightings_;
  // Filter: per day, 16-slot buckets of 16-bit fingerprints (RPI bytes 8-9), chosen by RPI
  // bytes 0-3 (multiplied into the bucket count); filled in order, 0 = empty.
  uint32_t first_day_ = 0;
  std::vector<Partition> partitions_;
  std::vector<uint16_t> slot_storage_;
  size_t slot_offset_ = 0;
  // Exact table: buckets on RPI bytes 10-13; positions of the sightings in each bucket.
  uint32_t exact_mask_ = 0;
  std::vector<uint32_t> exact_bounds_;
  std::vector<uint32_t> exact_positions_;
  // Bit i - sighted_base_ is set when a sighting's interval is within +-12 of i.
  EnIntervalNumber sighted_base_ = 0;
  std::vector<uint64_t> sighted_;
};

}  // namespace exposure::matching
