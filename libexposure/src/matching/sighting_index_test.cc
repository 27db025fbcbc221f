// The matcher's index: no false negatives, few false positives, bounded memory.
#include "matching/sighting_index.h"

#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <random>

namespace exposure::matching {
namespace {

std::vector<Sighting> random_sightings(size_t n, uint32_t first_time, uint32_t span, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Sighting> out(n);
  for (auto& s : out) {
    for (auto& b : s.rpi) b = static_cast<uint8_t>(rng());
    s.time = first_time + static_cast<uint32_t>(rng() % span);
  }
  return out;
}

TEST(SightingIndex, EverySightingIsFoundWithinToleranceOnly) {
  auto sightings = random_sightings(50000, 1600000000, 14 * 86400, 1);
  SightingIndex index(sightings);
  for (size_t i = 0; i < sightings.size(); i += 7) {
    const Sighting& s = sightings[i];
    EnIntervalNumber received = s.time / 600;
    EXPECT_TRUE(index.may_contain(s.rpi, received - 12));
    EXPECT_TRUE(index.may_contain(s.rpi, received + 12));
    std::vector<uint32_t> found;
    index.find(s.rpi, &found);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], i);
  }
}

TEST(SightingIndex, FalsePositivesAreRareAndMemoryIsSmall) {
  auto sightings = random_sightings(200000, 1600000000, 14 * 86400, 2);
  SightingIndex index(sightings);
  auto probes = random_sightings(200000, 1600000000, 14 * 86400, 3);
  size_t positives = 0;
  for (const auto& p : probes) positives += index.may_contain(p.rpi, p.time / 600);
  EXPECT_LT(positives, 200000u / 5000);  // measured about 1 in 13,000
  EXPECT_LT(index.memory_bytes(), 16 * sightings.size());
}

TEST(SightingIndex, SplitsKeysIntoRunsOfIntervalsNearSightings) {
  std::vector<Sighting> sightings(3);
  sightings[0].time = 1000 * 600;        // interval 1000: 988..1012 are near it
  sightings[1].time = 1038 * 600 + 599;  // interval 1038: 1026..1050
  sightings[2].time = 1100 * 600;        // interval 1100: 1088..1112
  SightingIndex index(sightings);
  std::array<SightingIndex::IntervalRun, SightingIndex::kMaxRunsPerKey> runs;
  auto split = [&](EnIntervalNumber first, uint32_t count) {
    size_t n = index.sighted_runs(first, count, runs.data());
    std::vector<std::pair<EnIntervalNumber, uint32_t>> out;
    for (size_t i = 0; i < n; ++i) out.emplace_back(runs[i].first, runs[i].count);
    return out;
  };
  using Runs = std::vector<std::pair<EnIntervalNumber, uint32_t>>;
  EXPECT_EQ(split(900, 144), (Runs{{988, 25}, {1026, 18}}));  // 900..1043
  EXPECT_EQ(split(1010, 144), (Runs{{1010, 3}, {1026, 25}, {1088, 25}}));
  EXPECT_EQ(split(1012, 15), (Runs{{1012, 1}, {1026, 1}}));  // both edges exactly 12 away
  EXPECT_EQ(split(1013, 13), Runs{});                         // 1013..1025: none near
  EXPECT_EQ(split(1051, 37), Runs{});                         // 1051..1087
  EXPECT_EQ(split(1050, 39), (Runs{{1050, 1}, {1088, 1}}));
  EXPECT_EQ(split(2000, 144), Runs{});
  EXPECT_EQ(split(0, 144), Runs{});
  // Runs across 64-bit words of the bitmap, and the most runs a key can have.
  std::vector<Sighting> dense;
  for (EnIntervalNumber i = 5000; i < 5400; i += 26) {
    dense.emplace_back();
    dense.back().time = i * 600;
  }
  SightingIndex spaced(dense);
  ASSERT_EQ(spaced.sighted_runs(4990, 144, runs.data()), 6u);
  EXPECT_EQ(runs[0].first, 4990u);
  EXPECT_EQ(runs[0].count, 5012u - 4990u + 1);
  EXPECT_EQ(runs[1].first, 5026u - 12);
  EXPECT_EQ(runs[1].count, 25u);
}

// The SIMD probe of the target is the one compiled (the tests below then exercise it).
TEST(SightingIndex, CompilesTheTargetsSimdProbe) {
#if defined(__x86_64__)
  EXPECT_STREQ(SightingIndex::kProbePath, "sse2");
#elif defined(__aarch64__)
  EXPECT_STREQ(SightingIndex::kProbePath, "neon");
#else
  EXPECT_STREQ(SightingIndex::kProbePath, "scalar");
#endif
}

TEST(SightingIndex, MayContainAnyAgreesWithMayContain) {
  std::cout << "filter probe: " << SightingIndex::kProbePath << "\n";
  RecordProperty("filter_probe", SightingIndex::kProbePath);
  auto sightings = random_sightings(100000, 1600000000, 14 * 86400, 4);
  for (size_t i = 0; i < sightings.size(); i += 500) sightings[i].rpi[8] = sightings[i].rpi[9] = 0;  // fingerprint 0
  SightingIndex index(sightings);
  EnIntervalNumber day_start = (1600000000 / 600 / 144 + 5) * 144;
  const SightingIndex::Partition* part = index.partition_for(day_start);
  ASSERT_NE(part, nullptr);
  const uint16_t* slots = index.partition_slots(*part);
  std::vector<Rpi> of_the_day;  // RPIs the partition holds
  for (const Sighting& s : sightings) {
    EnIntervalNumber i = s.time / 600;
    if (i + 12 >= day_start && i <= day_start + 143 + 12) of_the_day.push_back(s.rpi);
  }
  std::mt19937_64 rng(6);
  std::vector<Rpi> probes(144);
  size_t any = 0, some = 0;
  for (int round = 0; round < 2000; ++round) {
    for (auto& p : probes)
      for (auto& b : p) b = static_cast<uint8_t>(rng());
    size_t n = 1 + rng() % 144;
    if (round % 3 == 0) probes[rng() % n] = of_the_day[rng() % of_the_day.size()];
    bool expected = false;
    for (size_t i = 0; i < n; ++i) expected |= index.may_contain(slots, *part, probes[i]);
    bool got = index.may_contain_any(slots, *part, probes.data(), n);
    if (expected) {
      EXPECT_TRUE(got);  // never a false negative; true also on a full bucket
    }
    any += got;
    some += expected;
  }
  size_t zero_fingerprints = 0;
  for (const Rpi& rpi : of_the_day) {
    if (rpi[8] != 0 || rpi[9] != 0) continue;
    ++zero_fingerprints;
    EXPECT_TRUE(index.may_contain(slots, *part, rpi));
    EXPECT_TRUE(index.may_contain_any(slots, *part, &rpi, 1));
  }
  EXPECT_GT(zero_fingerprints, 5u);
  EXPECT_GT(some, 600u);
  EXPECT_LT(any, some + 2000 / 20);  // full buckets are rare
}

}  // namespace
}  // namespace exposure::matching
