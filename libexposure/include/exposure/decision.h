// The notification decision: does this phone tell its user "you may have been exposed"?
//
// One function, decide(), holds the rule. The `exposure` CLI, the C ABI, the app module's
// exposure check, the simulator and the config linter all call it, so a phone, a report and a
// simulation can never disagree about whether the same matches notify.
//
// The rule (docs/risk.md, "The notification decision"):
//  * v2 (a dailySummariesConfig is given): a UTC day qualifies when its DailySummary's
//    scoreSum reaches the app's minimumDailyScore (is above 0 when none is configured);
//  * v1 (an exposureConfiguration is given): the day of an exposure record qualifies when the
//    record's full-range score reaches minimumRiskScore;
//  * when both are given, a day qualifies under either;
//  * the decision notifies when some qualifying day has not been notified before.
// A day that was notified once never notifies again, so a check that re-reads old matches
// tells the user only about what is new.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "exposure/exposure_window.h"
#include "exposure/matching.h"
#include "exposure/risk.h"
#include "exposure/risk_config.h"

namespace exposure {

// True when a v1 exposure record of this full-range score notifies under `config`.
bool v1_record_reaches_threshold(int full_range_score, const ExposureConfiguration& config);
// True when a v2 day of this scoreSum notifies under the app's threshold.
bool v2_day_reaches_threshold(double score_sum, std::optional<double> minimum_daily_score);

// A UTC day that reached the threshold of one API.
struct QualifyingDay {
  int64_t days_since_epoch = 0;
  std::string api;         // "v1" or "v2"
  double score = 0;        // v2: the day's scoreSum; v1: the day's highest full-range score
  double threshold = 0;    // minimumDailyScore (0 when none) or minimumRiskScore
  bool notified_before = false;
};

struct Decision {
  bool notify = false;
  // Days that qualify now and were not notified before, ascending (what to notify about).
  std::vector<int64_t> new_days;
  // Every qualifying day, by API then day.
  std::vector<QualifyingDay> qualifying;
  // One line per fact behind the decision, e.g.
  // "v2: 2026-11-30 scoreSum 1830 >= minimumDailyScore 900 (new)".
  std::vector<std::string> reasons;
  // The scores it was made from (present for each configured API).
  std::optional<V2Result> v2;
  std::optional<V1Result> v1;
};

// Scores `matches` (v1) and `windows` (v2, built from the same matches under config.mapping)
// with `config` as `profile` does at `now`, and decides. `notified_days` are the UTC days
// the phone already notified about.
Decision decide(std::span<const KeyMatch> matches, std::span<const ExposureWindow> windows,
                const RiskConfig& config, const PlatformProfile& profile, int64_t now,
                const std::set<int64_t>& notified_days = {});

}  // namespace exposure
