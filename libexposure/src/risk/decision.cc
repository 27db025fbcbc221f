#include "exposure/decision.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "exposure/interval.h"

namespace exposure {

namespace {

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// Adds the qualifying days of one API, in day order, with their reasons.
void add_days(const std::map<int64_t, double>& best_by_day, const char* api, double threshold,
              const std::string& comparison, const std::set<int64_t>& notified_days, Decision* out) {
  for (const auto& [day, score] : best_by_day) {
    QualifyingDay q{day, api, score, threshold, notified_days.count(day) > 0};
    out->reasons.push_back(std::string(api) + ": " + format_utc_day(day) + " " + comparison + " " +
                           number_text(score) + " >= " + number_text(threshold) +
                           (q.notified_before ? " (notified before)" : " (new)"));
    out->qualifying.push_back(std::move(q));
  }
}

}  // namespace

bool v1_record_reaches_threshold(int full_range_score, const ExposureConfiguration& config) {
  return full_range_score >= config.minimum_risk_score;
}

bool v2_day_reaches_threshold(double score_sum, std::optional<double> minimum_daily_score) {
  return minimum_daily_score ? score_sum >= *minimum_daily_score : score_sum > 0;
}

Decision decide(std::span<const KeyMatch> matches, std::span<const ExposureWindow> windows,
                const RiskConfig& config, const PlatformProfile& profile, int64_t now,
                const std::set<int64_t>& notified_days) {
  Decision out;
  if (config.daily) {
    out.v2 = score_v2(windows, *config.daily, profile, now, config.minimum_daily_score);
    std::map<int64_t, double> days;
    for (const DailySummary& day : out.v2->daily_summaries) {
      if (v2_day_reaches_threshold(day.total.score_sum, config.minimum_daily_score)) {
        days[day.days_since_epoch] = day.total.score_sum;
      }
    }
    add_days(days, "v2", config.minimum_daily_score.value_or(0), "scoreSum", notified_days, &out);
    if (days.empty()) {
      out.reasons.push_back("v2: no day's scoreSum reaches " +
                            (config.minimum_daily_score ? "minimumDailyScore " + number_text(*config.minimum_daily_score)
                                                        : std::string("above 0 (no minimumDailyScore)")) +
                            " (" + std::to_string(out.v2->daily_summaries.size()) + " days with windows)");
    }
  }
  if (config.v1) {
    out.v1 = score_v1(matches, *config.v1, profile, now);
    std::map<int64_t, double> days;
    for (const KeyExposureResult& key : out.v1->keys) {
      for (const ExposureRecord& record : key.records) {
        if (!v1_record_reaches_threshold(record.full_range_score, *config.v1)) continue;
        double& best = days[record.start_time / kSecondsPerDay];
        best = std::max(best, static_cast<double>(record.full_range_score));
      }
    }
    add_days(days, "v1", config.v1->minimum_risk_score, "record score", notified_days, &out);
    if (days.empty()) {
      out.reasons.push_back("v1: no exposure record reaches minimumRiskScore " +
                            std::to_string(config.v1->minimum_risk_score) + " (" +
                            std::to_string(out.v1->keys.size()) + " matched keys)");
    }
  }
  if (!config.daily && !config.v1) out.reasons.push_back("the risk configuration gives neither v1 nor v2 fields");
  for (const QualifyingDay& q : out.qualifying) {
    if (!q.notified_before) out.new_days.push_back(q.days_since_epoch);
  }
  std::sort(out.new_days.begin(), out.new_days.end());
  out.new_days.erase(std::unique(out.new_days.begin(), out.new_days.end()), out.new_days.end());
  out.notify = !out.new_days.empty();
  return out;
}

}  // namespace exposure
