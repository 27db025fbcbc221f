#include "exposure/report_json.h"

#include "exposure/interval.h"

namespace exposure::report {

using nlohmann::json;

namespace {

json optional_json(const std::optional<int32_t>& value) { return value ? json(*value) : json(nullptr); }

json scan_json(const ScanInstance& s) {
  return {{"typical_attenuation_db", s.typical_attenuation_db},
          {"min_attenuation_db", s.min_attenuation_db},
          {"seconds_since_last_scan", s.seconds_since_last_scan}};
}

json window_json(const ExposureWindow& w, size_t key_index) {
  json scans = json::array();
  for (const ScanInstance& s : w.scan_instances) scans.push_back(scan_json(s));
  return {{"key", key_index},
          {"start_time", w.start_time},
          {"days_since_epoch", w.day()},
          {"report_type", report_type_name(w.report_type)},
          {"infectiousness", infectiousness_name(w.infectiousness)},
          {"calibration_confidence", calibration_confidence_name(w.calibration_confidence)},
          {"scan_instances", scans}};
}

json summary_data_json(const ExposureSummaryData& d) {
  return {{"maximum_score", d.maximum_score}, {"score_sum", d.score_sum}, {"weighted_duration_sum", d.weighted_duration_sum}};
}

json daily_json(const DailySummary& day) {
  json by_type = json::object();
  for (size_t t = 0; t < day.by_report_type.size(); ++t) {
    if (day.by_report_type[t] == ExposureSummaryData{}) continue;
    by_type[report_type_name(static_cast<ReportType>(t))] = summary_data_json(day.by_report_type[t]);
  }
  return {{"days_since_epoch", day.days_since_epoch}, {"by_report_type", by_type}, {"total", summary_data_json(day.total)}};
}

json record_json(const ExposureRecord& r) {
  return {{"start_time", r.start_time},
          {"duration_seconds", r.duration_seconds},
          {"attenuation_value", r.attenuation_value},
          {"attenuation_durations_seconds", r.attenuation_durations_seconds},
          {"factors", r.factors},
          {"full_range_score", r.full_range_score},
          {"risk_score", r.risk_score}};
}

// `key` of each entry is the index of its match in matched_keys (the v1 result keeps the
// order of the matches).
json v1_json(const V1Result& r) {
  json keys = json::array();
  for (size_t k = 0; k < r.keys.size(); ++k) {
    const KeyExposureResult& key = r.keys[k];
    json records = json::array();
    for (const ExposureRecord& record : key.records) records.push_back(record_json(record));
    keys.push_back({{"key", k},
                    {"days_since_key_start", key.days_since_key_start},
                    {"maximum_risk_score", key.maximum_risk_score},
                    {"total_risk_score", key.total_risk_score},
                    {"records", records}});
  }
  const ExposureSummary& s = r.summary;
  return {{"summary",
           {{"matched_key_count", s.matched_key_count},
            {"days_since_last_exposure", s.days_since_last_exposure},
            {"maximum_risk_score", s.maximum_risk_score},
            {"maximum_risk_score_full_range", s.maximum_risk_score_full_range},
            {"summation_risk_score", s.summation_risk_score},
            {"attenuation_durations_minutes", s.attenuation_durations_minutes}}},
          {"keys", keys},
          {"notifies", r.notifies}};
}

}  // namespace

json key_json(const DiagnosisKey& key) {
  return {{"key", to_hex(key.key_data)},
          {"rolling_start_interval_number", key.rolling_start_interval_number},
          {"rolling_period", key.rolling_period},
          {"report_type", report_type_name(key.report_type)},
          {"transmission_risk_level", key.transmission_risk_level},
          {"days_since_onset_of_symptoms", optional_json(key.days_since_onset_of_symptoms)}};
}

json match_json(const MatchFacts& facts, const DiagnosisKeysDataMapping& mapping, std::vector<ExposureWindow>* windows) {
  json matched = json::array();
  json windows_json = json::array();
  for (size_t i = 0; i < facts.result.matches.size(); ++i) {
    const KeyMatch& m = facts.result.matches[i];
    json entry = key_json(m.key);
    entry["sightings"] = m.sightings.size();
    entry["scans"] = m.per_scan.size();
    matched.push_back(entry);
    for (ExposureWindow& w : build_exposure_windows(m, mapping)) {
      windows_json.push_back(window_json(w, i));
      windows->push_back(std::move(w));
    }
  }
  return {{"keys_processed", facts.result.stats.keys_read},
          {"keys_skipped", facts.result.stats.keys_skipped},
          {"invalid_keys", facts.files.invalid_keys},
          {"revised_keys_ignored", facts.files.revised_keys},
          {"files", facts.files.files},
          {"sightings", facts.sightings},
          {"now", facts.now},
          {"matched_keys", matched},
          {"exposure_windows", windows_json}};
}

json decision_json(const Decision& decision) {
  json qualifying = json::array();
  for (const QualifyingDay& q : decision.qualifying) {
    qualifying.push_back({{"day", format_utc_day(q.days_since_epoch)},
                          {"days_since_epoch", q.days_since_epoch},
                          {"api", q.api},
                          {"score", q.score},
                          {"threshold", q.threshold},
                          {"notified_before", q.notified_before}});
  }
  json new_days = json::array();
  for (int64_t day : decision.new_days) new_days.push_back(format_utc_day(day));
  return {{"notify", decision.notify}, {"new_days", new_days}, {"qualifying_days", qualifying}, {"reasons", decision.reasons}};
}

json scores_json(const Decision& decision) {
  json p = json::object();
  if (decision.v2) {
    json days = json::array();
    for (const DailySummary& day : decision.v2->daily_summaries) days.push_back(daily_json(day));
    json scores = json::array();
    for (const WindowScore& s : decision.v2->window_scores) scores.push_back(s.counted ? json(s.score) : json(nullptr));
    p["daily_summaries"] = days;
    p["window_scores"] = scores;
    p["v2_notifies"] = decision.v2->notifies;
  }
  if (decision.v1) p["v1"] = v1_json(*decision.v1);
  p["verdict"] = decision.notify ? "notify" : "no-notification";
  p["decision"] = decision_json(decision);
  return p;
}

json platforms_json(const MatchResult& result, std::span<const ExposureWindow> windows, const RiskConfig& config,
                    std::span<const PlatformProfile* const> profiles, int64_t now) {
  json platforms = json::object();
  for (const PlatformProfile* profile : profiles) {
    platforms[profile->name] = scores_json(decide(result.matches, windows, config, *profile, now));
  }
  return platforms;
}

json upload_json(const app::UploadOutcome& outcome, app::UploadFlow flow) {
  return {{"flow", flow == app::UploadFlow::kGoogle ? "google" : "cocoa"},
          {"keys_sent", outcome.keys_sent},
          {"keys_inserted", outcome.keys_inserted},
          {"test_type", outcome.test_type},
          {"revised", outcome.revised},
          {"revision_token_received", !outcome.revision_token.empty()},
          {"warnings", outcome.warnings}};
}

json check_json(const app::CheckOutcome& outcome) {
  json matched = json::array();
  for (const KeyMatch& m : outcome.matches) {
    json entry = key_json(m.key);
    entry["sightings"] = m.sightings.size();
    matched.push_back(std::move(entry));
  }
  return {{"archives_new", outcome.archives_processed},
          {"archives_in_index", outcome.archives_in_index},
          {"bytes_downloaded", outcome.bytes_downloaded},
          {"keys_processed", outcome.keys_processed},
          {"sightings", outcome.sightings},
          {"now", outcome.now},
          {"matched_keys", matched},
          {"exposure_windows", outcome.windows.size()},
          {"scores", scores_json(outcome.decision)},
          {"decision", decision_json(outcome.decision)}};
}

json lint_json(const LintReport& report, const KeyMetadataSet& metadata, const ReferenceContact& contact,
               const PathLossModel& model) {
  json present = json::array();
  for (const KeyMetadata& m : metadata.present) {
    present.push_back({{"transmission_risk_level", m.transmission_risk_level},
                       {"report_type", report_type_name(m.report_type)},
                       {"days_since_onset_of_symptoms", m.days_since_onset ? json(*m.days_since_onset) : json(nullptr)}});
  }
  json verdicts = json::array();
  for (const PlatformLint& r : report.results) {
    verdicts.push_back({{"platform", r.platform},
                        {"api", r.api},
                        {"verdict", lint_verdict_name(r.verdict)},
                        {"best_reference_score", r.best_reference_score},
                        {"threshold", r.threshold},
                        {"reasons", r.reasons}});
  }
  return {{"reference_contact",
           {{"minutes", contact.minutes},
            {"meters", contact.meters},
            {"attenuation_db", report.reference_attenuation_db},
            {"path_loss", {{"attenuation_at_1m_db", model.attenuation_at_1m_db}, {"exponent", model.exponent}}}}},
          {"keys", metadata.keys},
          {"key_metadata_present", present},
          {"verdicts", verdicts},
          {"all_platforms_notify", report.all_notify()}};
}

}  // namespace exposure::report
