// Match, score and lint reports as JSON: the objects `exposure match`, `exposure lint-config`
// and `exposure export inspect --keys` print and the C ABI hands to bindings. One builder for
// all of them, so one description in docs/matching.md and docs/risk.md serves the command
// line and every binding.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "exposure/app.h"
#include "exposure/config_lint.h"
#include "exposure/decision.h"
#include "exposure/export_key_source.h"
#include "exposure/exposure_window.h"
#include "exposure/matching.h"
#include "exposure/risk.h"
#include "exposure/risk_config.h"

namespace exposure::report {

// A key: key (hex), rolling_start_interval_number, rolling_period, report_type,
// transmission_risk_level, days_since_onset_of_symptoms (null when unknown).
nlohmann::json key_json(const DiagnosisKey& key);

// What a match report is made of.
struct MatchFacts {
  const MatchResult& result;
  const ExportKeySourceStats& files;
  uint64_t sightings = 0;
  int64_t now = 0;
};

// keys_processed, keys_skipped, invalid_keys, revised_keys_ignored, files, sightings, now,
// matched_keys and exposure_windows (built under `mapping`, naming their key by index in
// matched_keys). The windows are also appended to `*windows` for scoring.
nlohmann::json match_json(const MatchFacts& facts, const DiagnosisKeysDataMapping& mapping,
                          std::vector<ExposureWindow>* windows);

// A decision: notify, new_days ("YYYY-MM-DD"), qualifying_days (day, days_since_epoch, api,
// score, threshold, notified_before) and reasons.
nlohmann::json decision_json(const Decision& decision);

// What one platform's scoring shows: daily_summaries, window_scores and v2_notifies (v2), v1
// (v1), verdict ("notify" / "no-notification") and decision (decision_json).
nlohmann::json scores_json(const Decision& decision);

// "<platform name>": {daily_summaries, window_scores, v2_notifies (v2), v1 (v1), verdict, decision}
// (scores_json) for each profile, deciding with decide() on `windows` (v2) and the matches (v1) with `config` at `now`.
nlohmann::json platforms_json(const MatchResult& result, std::span<const ExposureWindow> windows,
                              const RiskConfig& config, std::span<const PlatformProfile* const> profiles,
                              int64_t now);

// An upload's outcome: flow, keys_sent, keys_inserted, test_type, revised,
// revision_token_received, warnings.
nlohmann::json upload_json(const app::UploadOutcome& outcome, app::UploadFlow flow);

// A check's outcome: archives_new (names), archives_in_index, bytes_downloaded, keys_processed,
// sightings, now, matched_keys (key_json plus sightings), exposure_windows (count), scores
// (scores_json) and decision (decision_json).
nlohmann::json check_json(const app::CheckOutcome& outcome);

// The linter's report: reference_contact, keys, key_metadata_present, verdicts,
// all_platforms_notify.
nlohmann::json lint_json(const LintReport& report, const KeyMetadataSet& metadata,
                         const ReferenceContact& contact, const PathLossModel& model);

}  // namespace exposure::report
