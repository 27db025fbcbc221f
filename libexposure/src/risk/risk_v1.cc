// v1 scoring (KeyExposureEvaluator.findExposures, RiskScoreCalculator; docs/risk.md).
#include <algorithm>
#include <limits>

#include "exposure/decision.h"
#include "exposure/risk.h"

namespace exposure {
namespace {

constexpr int kHalfScan = kV1ScanIntervalSeconds / 2;  // margin before the first / after the last

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Java Math.round(num / den) for num >= 0, den > 0: floor(num / den + 1/2).
int64_t round_half_up(int64_t num, int64_t den) { return (2 * num + den) / (2 * den); }

// 5-minute bucketization of a series: (last - first) + 300 rounded to a multiple of 300,
// remainders up to 150 s rounding down.
int bucketized_duration(uint32_t first, uint32_t last) {
  int64_t estimate = int64_t{last} - first + kV1ScanIntervalSeconds;
  int64_t rest = estimate % kV1ScanIntervalSeconds;
  return static_cast<int>(rest <= kHalfScan ? estimate - rest : estimate + (kV1ScanIntervalSeconds - rest));
}

ExposureRecord record_of(std::span<const MatchedSighting> series, const ExposureConfiguration& config) {
  ExposureRecord r;
  r.start_time = series.front().time;
  r.end_time = series.back().time;
  r.duration_seconds = bucketized_duration(r.start_time, r.end_time);
  // Step interpolation over the points [first - 150, sightings..., last + 150]: a period runs
  // from one point to the next later one and carries the attenuation of the point it starts
  // at. A point in the same second as the period's start neither ends nor starts a period, so
  // of two sightings in one second the first one's attenuation counts (as GMS does).
  int64_t weighted = 0, total = 0, below_low = 0, below_high = 0;
  int64_t from = int64_t{r.start_time} - kHalfScan;
  int attenuation = series.front().attenuation_db;
  auto point = [&](int64_t to, int next_attenuation) {
    if (to == from) return;
    int64_t length = to - from;
    weighted += attenuation * length;
    total += length;
    if (attenuation < config.duration_at_attenuation_thresholds[0]) below_low += length;
    if (attenuation < config.duration_at_attenuation_thresholds[1]) below_high += length;
    from = to;
    attenuation = next_attenuation;
  };
  for (const MatchedSighting& s : series) point(s.time, s.attenuation_db);
  point(int64_t{r.end_time} + kHalfScan, series.back().attenuation_db);
  r.attenuation_value = static_cast<int>(round_half_up(weighted, total));
  r.attenuation_durations_seconds = {static_cast<int>(below_low), static_cast<int>(below_high - below_low),
                                     static_cast<int>(total - below_high)};
  return r;
}

}  // namespace

int v1_attenuation_bucket(int a) {
  static constexpr int kBounds[] = {73, 63, 51, 33, 27, 15, 10};
  for (int i = 0; i < 7; ++i)
    if (a > kBounds[i]) return i;
  return 7;
}

int v1_days_bucket(int64_t d) {
  static constexpr int kBounds[] = {14, 12, 10, 8, 6, 4, 2};
  for (int i = 0; i < 7; ++i)
    if (d >= kBounds[i]) return i;
  return 7;
}

int v1_duration_bucket(int64_t minutes) {
  static constexpr int kBounds[] = {0, 5, 10, 15, 20, 25, 30};
  for (int i = 0; i < 7; ++i)
    if (minutes <= kBounds[i]) return i;
  return 7;
}

V1Result score_v1(std::span<const KeyMatch> matches, const ExposureConfiguration& config,
                  const PlatformProfile& profile, int64_t now) {
  V1Result result;
  ExposureSummary& summary = result.summary;
  std::array<int64_t, 3> durations{};
  int64_t fewest_days = std::numeric_limits<int64_t>::max();
  for (const KeyMatch& match : matches) {
    if (match.per_scan.empty()) continue;
    KeyExposureResult key;
    key.key_stream_position = match.stream_position;
    key.transmission_risk_level = match.key.transmission_risk_level;
    key.days_since_key_start =
        floor_div(now - interval_start_seconds(match.key.rolling_start_interval_number), kSecondsPerDay);
    std::span<const MatchedSighting> sightings = match.per_scan;
    size_t begin = 0;
    for (size_t i = 1; i <= sightings.size(); ++i) {
      bool series_ends = i == sightings.size() ||
                         int64_t{sightings[i].time} - sightings[i - 1].time > kV1SeriesGapSeconds;
      if (!series_ends) continue;
      ExposureRecord r = record_of(sightings.subspan(begin, i - begin), config);
      begin = i;
      r.factors = {config.attenuation_scores[v1_attenuation_bucket(r.attenuation_value)],
                   config.days_since_last_exposure_scores[v1_days_bucket(key.days_since_key_start)],
                   config.duration_scores[v1_duration_bucket(r.duration_seconds / 60)],
                   profile.transmission_factor(config, match.key.transmission_risk_level)};
      r.full_range_score = r.factors[0] * r.factors[1] * r.factors[2] * r.factors[3];
      bool reaches = v1_record_reaches_threshold(r.full_range_score, config);
      r.risk_score = reaches ? profile.reported_v1_score(r.full_range_score) : 0;
      if (reaches) {
        result.notifies = true;
        summary.maximum_risk_score_full_range = std::max(summary.maximum_risk_score_full_range, r.full_range_score);
      }
      key.maximum_risk_score = std::max(key.maximum_risk_score, r.risk_score);
      key.total_risk_score += r.risk_score;
      for (int b = 0; b < 3; ++b) key.attenuation_durations_seconds[b] += r.attenuation_durations_seconds[b];
      key.records.push_back(r);
    }
    summary.maximum_risk_score = std::max(summary.maximum_risk_score, key.maximum_risk_score);
    summary.summation_risk_score += key.total_risk_score;
    for (int b = 0; b < 3; ++b) durations[b] += key.attenuation_durations_seconds[b];
    fewest_days = std::min(fewest_days, key.days_since_key_start);
    result.keys.push_back(std::move(key));
  }
  summary.matched_key_count = result.keys.size();
  summary.days_since_last_exposure = result.keys.empty() ? 0 : static_cast<int>(std::max<int64_t>(fewest_days, 0));
  for (int b = 0; b < 3; ++b)
    summary.attenuation_durations_minutes[b] = static_cast<int>(std::min<int64_t>(durations[b] / 60, 30));
  return result;
}

}  // namespace exposure
