#include "matching/sighting_index.h"

#include <algorithm>
#include <bit>

#include "exposure/matching.h"

namespace exposure::matching {
namespace {

constexpr uint32_t kTolerance = kMatchingToleranceIntervals;
constexpr uint32_t kFingerprintsPerBucket = 5;  // of 16 slots, before repeats are removed
constexpr uint32_t kSightingsPerExactBucket = 4;  // looked up only after the filter

EnIntervalNumber sighting_interval(const Sighting& s) { return s.time / kIntervalSeconds; }

// UTC days d whose RPIs (intervals [144d, 144d + 143]) a sighting received in interval s can
// match: 144d - 12 <= s <= 144d + 143 + 12.
uint32_t first_day_for(EnIntervalNumber s) {
  constexpr uint32_t kReach = kTekRollingPeriod - 1 + kTolerance;  // 155
  return s >= kReach ? (s - kReach + kTekRollingPeriod - 1) / kTekRollingPeriod : 0;
}
uint32_t last_day_for(EnIntervalNumber s) { return (s + kTolerance) / kTekRollingPeriod; }

uint32_t power_of_two_at_least(uint64_t n) {
  return static_cast<uint32_t>(std::bit_ceil(std::max<uint64_t>(n, 1)));
}

uint32_t exact_hash(const Rpi& rpi) {
  uint32_t h;
  std::memcpy(&h, rpi.data() + 10, 4);
  return h;
}

// Turns per-bucket counts in bounds[1..n] into bounds (bounds[b] = first entry of bucket b).
void counts_to_bounds(std::vector<uint32_t>& bounds) {
  for (size_t b = 1; b < bounds.size(); ++b) bounds[b] += bounds[b - 1];
}

}  // namespace

SightingIndex::SightingIndex(std::span<const Sighting> sightings) : sightings_(sightings) {
  build_sighted_bitmap();
  build_filter();
  build_exact_table();
}

void SightingIndex::build_sighted_bitmap() {
  if (sightings_.empty()) return;
  EnIntervalNumber lowest = UINT32_MAX, highest = 0;
  for (const Sighting& s : sightings_) {
    lowest = std::min(lowest, sighting_interval(s));
    highest = std::max(highest, sighting_interval(s));
  }
  sighted_base_ = lowest >= kTolerance ? lowest - kTolerance : 0;
  uint64_t bits = uint64_t{highest} + kTolerance - sighted_base_ + 1;
  std::vector<uint64_t> received((bits + 63) / 64, 0);
  for (const Sighting& s : sightings_) {
    uint64_t bit = sighting_interval(s) - sighted_base_;
    received[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  // Widen every received interval by the tolerance on both sides.
  sighted_.assign(received.size(), 0);
  for (size_t word = 0; word < received.size(); ++word) {
    for (uint64_t w = received[word]; w != 0; w &= w - 1) {
      uint64_t center = word * 64 + static_cast<uint64_t>(std::countr_zero(w));
      uint64_t from = center >= kTolerance ? center - kTolerance : 0;
      uint64_t to = std::min(center + kTolerance, bits - 1);
      for (uint64_t b = from; b <= to; ++b) sighted_[b / 64] |= uint64_t{1} << (b % 64);
    }
  }
}

size_t SightingIndex::sighted_runs(EnIntervalNumber first, uint32_t count, IntervalRun* out) const {
  if (sighted_.empty() || count == 0) return 0;
  uint64_t total_bits = sighted_.size() * 64;
  // Range of bits to look at, clipped to the bitmap.
  uint64_t begin = first >= sighted_base_ ? first - sighted_base_ : 0;
  uint64_t end = uint64_t{first} + count;
  end = end > sighted_base_ ? std::min<uint64_t>(end - sighted_base_, total_bits) : 0;
  // The first bit at or after `from` whose value is `set` (or `end`).
  auto next = [&](uint64_t from, bool set) {
    while (from < end) {
      uint64_t word = sighted_[from / 64];
      uint64_t rest = (set ? word : ~word) >> (from % 64);
      if (rest != 0) return std::min(end, from + static_cast<uint64_t>(std::countr_zero(rest)));
      from = (from / 64 + 1) * 64;
    }
    return end;
  };
  size_t runs = 0;
  for (uint64_t from = next(begin, true); from < end; from = next(from, true)) {
    uint64_t to = next(from, false);
    out[runs++] = {static_cast<EnIntervalNumber>(from + sighted_base_), static_cast<uint32_t>(to - from)};
    from = to;
  }
  return runs;
}

void SightingIndex::build_filter() {
  partitions_.clear();
  // Room for 32-byte alignment; one empty bucket for an index without sightings.
  auto allocate = [&](uint64_t buckets) {
    slot_storage_.assign(buckets * kSlots + 16, kEmpty);
    auto address = reinterpret_cast<uintptr_t>(slot_storage_.data());
    slot_offset_ = ((32 - address % 32) % 32) / sizeof(uint16_t);
  };
  allocate(1);
  if (sightings_.empty()) return;
  EnIntervalNumber lowest = UINT32_MAX, highest = 0;
  for (const Sighting& s : sightings_) {
    lowest = std::min(lowest, sighting_interval(s));
    highest = std::max(highest, sighting_interval(s));
  }
  first_day_ = first_day_for(lowest);
  partitions_.resize(last_day_for(highest) - first_day_ + 1);

  // Size each day's buckets from the number of sightings that fall into it: five per
  // bucket on average, before repeats of an RPI are removed, so few buckets fill up.
  std::vector<uint64_t> per_day(partitions_.size(), 0);
  for (const Sighting& s : sightings_) {
    EnIntervalNumber i = sighting_interval(s);
    for (uint32_t d = first_day_for(i); d <= last_day_for(i); ++d) ++per_day[d - first_day_];
  }
  uint64_t buckets = 0;
  for (size_t d = 0; d < partitions_.size(); ++d) {
    auto n = static_cast<uint32_t>(std::max<uint64_t>(1, (per_day[d] + kFingerprintsPerBucket - 1) / kFingerprintsPerBucket));
    partitions_[d] = {static_cast<uint32_t>(buckets), n};
    buckets += n;
  }
  per_day = {};
  allocate(buckets);
  for (const Sighting& s : sightings_) {
    EnIntervalNumber i = sighting_interval(s);
    uint16_t fingerprint = fingerprint_of(s.rpi);
    for (uint32_t d = first_day_for(i); d <= last_day_for(i); ++d) {
      const Partition& part = partitions_[d - first_day_];
      // Linear probing over whole buckets; a repeat of a fingerprint is not stored twice.
      uint32_t first = bucket_of(s.rpi, part);
      for (uint32_t b = first;; b = b + 1 == part.buckets ? 0 : b + 1) {
        uint16_t* slots = this->slots() + kSlots * (part.first_bucket + b);
        uint32_t used = 0;
        while (used < kSlots && slots[used] != kEmpty && slots[used] != fingerprint) ++used;
        if (used < kSlots) {
          slots[used] = fingerprint;
          break;
        }
      }
    }
  }
}

bool SightingIndex::overflow_has(const Partition& part, uint32_t bucket, uint16_t fingerprint) const {
  for (uint32_t b = bucket + 1 == part.buckets ? 0 : bucket + 1;; b = b + 1 == part.buckets ? 0 : b + 1) {
    const uint16_t* slots = partition_slots(part) + kSlots * b;
    if (bucket_has(slots, fingerprint)) return true;
    if (slots[kSlots - 1] == kEmpty || b == bucket) return false;
  }
}

void SightingIndex::build_exact_table() {
  uint32_t buckets = power_of_two_at_least(sightings_.size() / kSightingsPerExactBucket);
  exact_mask_ = buckets - 1;
  exact_bounds_.assign(uint64_t{buckets} + 1, 0);
  for (const Sighting& s : sightings_) ++exact_bounds_[(exact_hash(s.rpi) & exact_mask_) + 1];
  counts_to_bounds(exact_bounds_);
  exact_positions_.resize(sightings_.size());
  std::vector<uint32_t> cursor(exact_bounds_.begin(), exact_bounds_.end() - 1);
  for (size_t i = 0; i < sightings_.size(); ++i) {
    exact_positions_[cursor[exact_hash(sightings_[i].rpi) & exact_mask_]++] = static_cast<uint32_t>(i);
  }
}

void SightingIndex::find(const Rpi& rpi, std::vector<uint32_t>* out) const {
  uint32_t bucket = exact_hash(rpi) & exact_mask_;
  for (uint32_t at = exact_bounds_[bucket]; at < exact_bounds_[bucket + 1]; ++at) {
    uint32_t position = exact_positions_[at];
    if (sightings_[position].rpi == rpi) out->push_back(position);
  }
}

size_t SightingIndex::memory_bytes() const {
  return partitions_.capacity() * sizeof(Partition) + slot_storage_.capacity() * 2 + exact_bounds_.capacity() * 4 +
         exact_positions_.capacity() * 4 +
         sighted_.capacity() * 8;
}

}  // namespace exposure::matching
