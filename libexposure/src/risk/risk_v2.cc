// v2 scoring: window scores and daily summaries (DailySummaryUtils; docs/risk.md).
#include <algorithm>
#include <map>

#include "exposure/decision.h"
#include "exposure/risk.h"

namespace exposure {

AttenuationBucket attenuation_bucket(const DailySummariesConfig& config, int typical) {
  const auto& th = config.attenuation_bucket_threshold_db;
  if (typical <= th[0]) return AttenuationBucket::kImmediate;
  if (typical <= th[1]) return AttenuationBucket::kNear;
  if (typical <= th[2]) return AttenuationBucket::kMedium;
  return AttenuationBucket::kOther;
}

V2Result score_v2(std::span<const ExposureWindow> windows, const DailySummariesConfig& config,
                  const PlatformProfile& /*profile: both platforms score v2 alike*/, int64_t now,
                  std::optional<double> minimum_daily_score) {
  V2Result result;
  std::map<int64_t, DailySummary> days;
  int64_t today = now / kSecondsPerDay;
  for (const ExposureWindow& w : windows) {
    WindowScore ws;
    auto type = static_cast<int>(w.report_type);
    bool reported = type >= static_cast<int>(ReportType::kConfirmedTest) &&
                    type <= static_cast<int>(ReportType::kRecursive);
    bool too_old = config.days_since_exposure_threshold > 0 &&
                   today - w.day() > config.days_since_exposure_threshold;
    // NONE windows are dropped as Google's DiagnosisKeysDataMapping documentation says, though
    // GMS's released summary code keeps them (docs/risk.md, "Where we differ ...").
    ws.considered = reported && w.infectiousness != Infectiousness::kNone && !too_old;
    if (ws.considered) {
      for (const ScanInstance& scan : w.scan_instances) {
        auto bucket = static_cast<size_t>(attenuation_bucket(config, scan.typical_attenuation_db));
        ws.weighted_duration += scan.seconds_since_last_scan * config.attenuation_bucket_weights[bucket];
      }
      ws.score = ws.weighted_duration * config.report_type_weights[type] *
                 config.infectiousness_weights[static_cast<size_t>(w.infectiousness)];
      ws.counted = ws.score >= config.minimum_window_score;
      DailySummary& day = days[w.day()];
      day.days_since_epoch = w.day();
      if (ws.counted) {
        ExposureSummaryData& data = day.by_report_type[type];
        data.maximum_score = std::max(data.maximum_score, ws.score);
        data.score_sum += ws.score;
        data.weighted_duration_sum += ws.weighted_duration;
      }
    }
    result.window_scores.push_back(ws);
  }
  for (auto& [day_number, day] : days) {
    for (const ExposureSummaryData& data : day.by_report_type) {
      day.total.maximum_score = std::max(day.total.maximum_score, data.maximum_score);
      day.total.score_sum += data.score_sum;
      day.total.weighted_duration_sum += data.weighted_duration_sum;
    }
    bool reaches = v2_day_reaches_threshold(day.total.score_sum, minimum_daily_score);
    result.notifies = result.notifies || reaches;
    result.daily_summaries.push_back(day);
  }
  return result;
}

}  // namespace exposure
