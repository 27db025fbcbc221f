// The production matcher against the plainly written reference matcher on random workloads
// with planted matches and every edge case the workload generator knows.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <unordered_set>

#include "exposure/matching.h"
#include "matching/reference_matcher.h"
#include "support/matching_workload.h"

namespace exposure {
namespace {

std::string describe(const KeyMatch& m) {
  std::string s = "key@" + std::to_string(m.stream_position) + " sightings:";
  for (const auto& x : m.sightings) s += " " + std::to_string(x.sighting_index);
  s += " per_scan:";
  for (const auto& x : m.per_scan) s += " " + std::to_string(x.sighting_index);
  return s;
}

void expect_same(const MatchResult& got, const MatchResult& want) {
  EXPECT_EQ(got.stats.keys_read, want.stats.keys_read);
  EXPECT_EQ(got.stats.keys_skipped, want.stats.keys_skipped);
  ASSERT_EQ(got.matches.size(), want.matches.size());
  for (size_t i = 0; i < got.matches.size(); ++i) {
    EXPECT_EQ(got.matches[i], want.matches[i]) << "got " << describe(got.matches[i]) << "\nwant "
                                                << describe(want.matches[i]);
  }
}

// Matches the workload with 1 and 3 threads and requires the reference's result each time;
// `check` adds a test's own assertions on each result.
void expect_reference_with_threads(const testing::Workload& w, uint64_t seed, const MatchResult& want,
                                   const std::function<void(const MatchResult&)>& check = {}) {
  Matcher matcher(w.sightings);
  for (unsigned threads : {1u, 3u}) {
    SpanKeySource source(w.keys);
    MatchOptions options;
    options.threads = threads;
    auto got = matcher.match(source, options);
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
    expect_same(*got, want);
    if (check) check(*got);
  }
}

TEST(MatcherDifferential, AgreesWithReferenceOnEdgeCaseWorkloads) {
  size_t total_matches = 0, dropped_by_tx = 0;
  for (uint64_t seed = 1; seed <= 16; ++seed) {
    testing::WorkloadOptions o;
    o.seed = seed;
    o.keys = 300;
    o.noise_sightings = 3000;
    o.planted_keys = 120;
    o.days = 4;
    o.edge_cases = true;
    o.shuffle_sightings = seed % 2 == 0;
    auto w = testing::make_workload(o);
    auto want = testing::reference_match(w.keys, w.sightings);
    expect_reference_with_threads(w, seed, want);
    total_matches += want.matches.size();
    for (const auto& m : want.matches) dropped_by_tx += m.sightings.size() != m.per_scan.size();
  }
  // The workloads really exercise matching (not 0 == 0).
  EXPECT_GT(total_matches, 16u * 40u);
  EXPECT_GT(dropped_by_tx, 0u);
}

// RPIs a matcher has to derive: those of the keys' rolling periods that have a sighting
// within +-12 intervals (RECURSIVE keys are not matched at all).
uint64_t rpis_near_sightings(const std::vector<DiagnosisKey>& keys, const std::vector<Sighting>& sightings) {
  std::unordered_set<EnIntervalNumber> received;
  for (const Sighting& s : sightings) received.insert(s.time / kIntervalSeconds);
  uint64_t n = 0;
  for (const DiagnosisKey& k : keys) {
    if (k.report_type == ReportType::kRecursive) continue;
    for (uint32_t j = 0; j < k.rolling_period; ++j) {
      int64_t i = int64_t{k.rolling_start_interval_number} + j;
      bool near = false;
      for (int64_t d = -12; d <= 12 && !near; ++d) near = i + d >= 0 && received.count(static_cast<EnIntervalNumber>(i + d));
      n += near;
    }
  }
  return n;
}

// Nights without sightings (a lone one now and then): keys are split into runs of intervals
// near sightings, whose edges lie exactly 12 intervals from a sighting, and only those are
// derived.
TEST(MatcherDifferential, AgreesWhenSightingsHaveGaps) {
  size_t total_matches = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    testing::WorkloadOptions o;
    o.seed = seed;
    o.keys = 300;
    o.noise_sightings = 3000;
    o.planted_keys = 150;
    o.days = 4;
    o.edge_cases = true;
    auto w = testing::make_workload(o);
    std::mt19937_64 rng(seed);
    std::erase_if(w.sightings, [&](const Sighting& s) {
      uint32_t of_day = s.time / kIntervalSeconds % kTekRollingPeriod;
      return of_day >= 30 && of_day < 100 && rng() % 30 != 0;
    });
    auto want = testing::reference_match(w.keys, w.sightings);
    const uint64_t rpis_near = rpis_near_sightings(w.keys, w.sightings);
    expect_reference_with_threads(w, seed, want, [&](const MatchResult& got) {
      EXPECT_EQ(got.stats.rpis_derived, rpis_near);
    });
    total_matches += want.matches.size();
  }
  EXPECT_GT(total_matches, 8u * 40u);
}

TEST(MatcherDifferential, AgreesOnPlainWorkloadWithManyKeys) {
  testing::WorkloadOptions o;
  o.seed = 99;
  o.keys = 20000;
  o.days = 2;  // ~10,000 keys a day: day groups fill and are matched mid-stream
  o.noise_sightings = 20000;
  o.planted_keys = 40;
  auto w = testing::make_workload(o);
  Matcher matcher(w.sightings);
  SpanKeySource source(w.keys);
  auto got = matcher.match(source);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->matches.size(), 40u);
  // The reference is slow; compare on the keys that matter plus a slice of the rest.
  std::vector<DiagnosisKey> subset(w.keys.begin(), w.keys.begin() + 1000);
  for (const auto& m : got->matches) subset.push_back(m.key);
  auto want = testing::reference_match(subset, w.sightings);
  SpanKeySource subset_source(subset);
  auto got_subset = matcher.match(subset_source);
  ASSERT_TRUE(got_subset.ok());
  expect_same(*got_subset, want);
  EXPECT_EQ(got->stats.keys_read, 20000u);
  // Several workers (groups this size are split among them) give the same result.
  SpanKeySource again(w.keys);
  MatchOptions threaded;
  threaded.threads = 3;
  auto parallel = matcher.match(again, threaded);
  ASSERT_TRUE(parallel.ok());
  expect_same(*parallel, *got);
  EXPECT_EQ(parallel->stats.rpis_derived, got->stats.rpis_derived);
}

}  // namespace
}  // namespace exposure
