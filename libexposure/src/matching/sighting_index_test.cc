// The matcher's index: no false negatives, few false positives, bounded memory.
#include "matching/sighting_index.h"

#include <gtest/gtest.h>

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
  EXPECT_LT(positives, 200000u / 5000);  // measured about 1 in 20,000
  EXPECT_LT(index.memory_bytes(), 16 * sightings.size());
}

TEST(SightingIndex, NarrowsKeysToIntervalsNearSightings) {
  std::vector<Sighting> sightings(2);
  sightings[0].time = 1000 * 600;  // interval 1000
  sightings[1].time = 1100 * 600;
  SightingIndex index(sightings);
  EnIntervalNumber lo;
  uint32_t count;
  ASSERT_TRUE(index.narrow_to_sighted(900, 144, &lo, &count));
  EXPECT_EQ(lo, 988u);
  EXPECT_EQ(count, 1012u - 988u + 1);  // 1000 + 12 is the last one near a sighting
  ASSERT_TRUE(index.narrow_to_sighted(1010, 144, &lo, &count));
  EXPECT_EQ(lo, 1010u);
  EXPECT_EQ(count, 1112u - 1010u + 1);
  EXPECT_FALSE(index.narrow_to_sighted(1013, 75, &lo, &count));  // 1013..1087: none near
  EXPECT_FALSE(index.narrow_to_sighted(2000, 144, &lo, &count));
  EXPECT_FALSE(index.narrow_to_sighted(0, 144, &lo, &count));
}

}  // namespace
}  // namespace exposure::matching
