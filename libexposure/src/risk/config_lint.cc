// The config linter (docs/risk.md, "Config linter"): synthetic reference contacts scored by
// the real v1/v2 code under each platform profile.
#include "exposure/config_lint.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "exposure/decision.h"

namespace exposure {

void KeyMetadataSet::add(const DiagnosisKey& key) {
  add(KeyMetadata{key.transmission_risk_level, key.report_type, key.days_since_onset_of_symptoms});
}

int PathLossModel::attenuation_db(double meters) const {
  double db = attenuation_at_1m_db + 10 * exponent * std::log10(std::max(meters, 0.01));
  return static_cast<int>(std::clamp(std::lround(db), 0L, 255L));
}

const char* lint_verdict_name(LintVerdict verdict) {
  switch (verdict) {
    case LintVerdict::kNotifies: return "notifies";
    case LintVerdict::kReferenceContactFallsShort: return "reference-contact-falls-short";
    case LintVerdict::kNeverNotifies: return "never-notifies";
  }
  return "never-notifies";
}

bool LintReport::all_notify() const {
  return std::all_of(results.begin(), results.end(),
                     [](const PlatformLint& r) { return r.verdict == LintVerdict::kNotifies; });
}

namespace {

// The end of a UTC day: "now" for the synthetic contacts.
constexpr EnIntervalNumber kToday = 2646000;  // 2020-04-24, a UTC midnight
constexpr int64_t kNow = int64_t{kToday} * kIntervalSeconds + kSecondsPerDay - 1;
constexpr int kMaxDaysAgo = 14;

std::string format(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// A contact of `minutes` at `attenuation` dB with a key of `metadata` that started
// `days_ago` days before today; one scan every 5 minutes, each crediting the 5 minutes before.
KeyMatch synthetic_contact(const KeyMetadata& metadata, int minutes, int attenuation, int days_ago) {
  KeyMatch match;
  match.key.rolling_start_interval_number = kToday - static_cast<EnIntervalNumber>(days_ago) * kTekRollingPeriod;
  match.key.transmission_risk_level = metadata.transmission_risk_level;
  match.key.report_type = metadata.report_type;
  match.key.days_since_onset_of_symptoms = metadata.days_since_onset;
  uint32_t first = static_cast<uint32_t>(interval_start_seconds(match.key.rolling_start_interval_number)) + 3600;
  for (int scan = 1; scan <= std::max(1, minutes / 5); ++scan) {
    MatchedSighting s;
    s.time = first + 300 * static_cast<uint32_t>(scan);
    s.previous_scan_time = s.time - 300;
    s.attenuation_db = static_cast<uint8_t>(attenuation);
    match.sightings.push_back(s);
  }
  match.per_scan = match.sightings;
  return match;
}

// ---- v1 ----

struct V1Best {
  int score = 0;
  ExposureRecord record;
  KeyMetadata metadata;
  int days_ago = 0;
};

V1Best best_v1(const ExposureConfiguration& config, const KeyMetadataSet& keys, const PlatformProfile& profile,
               int minutes, int attenuation) {
  V1Best best;
  bool first = true;
  std::set<int> levels;  // v1 reads only the transmission risk level
  for (const KeyMetadata& m : keys.present) {
    if (!levels.insert(m.transmission_risk_level).second) continue;
    for (int days = 0; days <= kMaxDaysAgo; ++days) {
      KeyMatch match = synthetic_contact(m, minutes, attenuation, days);
      V1Result r = score_v1(std::span<const KeyMatch>(&match, 1), config, profile, kNow);
      const ExposureRecord& record = r.keys.at(0).records.at(0);
      if (first || record.full_range_score > best.score) {
        best = {record.full_range_score, record, m, days};
        first = false;
      }
    }
  }
  return best;
}

std::string factors_text(const ExposureRecord& r, int trl, const PlatformProfile& profile) {
  std::string text = "attenuation " + std::to_string(r.factors[0]) + " x days " + std::to_string(r.factors[1]) +
                     " x duration " + std::to_string(r.factors[2]) + " x transmission " +
                     std::to_string(r.factors[3]) + " (TRL " + std::to_string(trl);
  if (profile.platform == Platform::kAndroid && trl == 0) text += ": a factor of 1 on Android, not transmissionRiskScores";
  return text + ")";
}

PlatformLint lint_v1(const ExposureConfiguration& config, const KeyMetadataSet& keys, const PlatformProfile& profile,
                     const ReferenceContact& contact, int attenuation) {
  PlatformLint lint;
  lint.platform = profile.name;
  lint.api = "v1";
  lint.threshold = config.minimum_risk_score;
  V1Best reference = best_v1(config, keys, profile, contact.minutes, attenuation);
  lint.best_reference_score = reference.score;
  std::string scored = "reference contact scores " + std::to_string(reference.score) + " = " +
                       factors_text(reference.record, reference.metadata.transmission_risk_level, profile);
  if (v1_record_reaches_threshold(reference.score, config)) {
    lint.verdict = LintVerdict::kNotifies;
    lint.reasons.push_back(scored + " >= minimumRiskScore " + std::to_string(config.minimum_risk_score));
    return lint;
  }
  lint.reasons.push_back(scored + " < minimumRiskScore " + std::to_string(config.minimum_risk_score));
  // The highest score any contact can get: duration bucket 0 is unreachable (at least 5 min).
  int best_transmission = 0, best_trl = 0;
  for (const KeyMetadata& m : keys.present) {
    int factor = profile.transmission_factor(config, m.transmission_risk_level);
    if (factor > best_transmission) {
      best_transmission = factor;
      best_trl = m.transmission_risk_level;
    }
  }
  int best_attenuation = *std::max_element(config.attenuation_scores.begin(), config.attenuation_scores.end());
  int best_days = *std::max_element(config.days_since_last_exposure_scores.begin(),
                                    config.days_since_last_exposure_scores.end());
  int best_duration = *std::max_element(config.duration_scores.begin() + 1, config.duration_scores.end());
  int ceiling = best_attenuation * best_days * best_duration * best_transmission;
  std::string ceiling_text = "highest score any contact can get is " + std::to_string(ceiling) + " = attenuation " +
                             std::to_string(best_attenuation) + " x days " + std::to_string(best_days) +
                             " x duration " + std::to_string(best_duration) + " x transmission " +
                             std::to_string(best_transmission) + " (best TRL present: " + std::to_string(best_trl) + ")";
  if (!v1_record_reaches_threshold(ceiling, config)) {
    lint.verdict = LintVerdict::kNeverNotifies;
    lint.reasons.push_back("never notifies: the " + ceiling_text + " < minimumRiskScore " +
                           std::to_string(config.minimum_risk_score));
    return lint;
  }
  lint.verdict = LintVerdict::kReferenceContactFallsShort;
  lint.reasons.push_back("some contacts can notify: the " + ceiling_text);
  for (int minutes = 5; minutes <= 240; minutes += 5) {
    if (v1_record_reaches_threshold(best_v1(config, keys, profile, minutes, attenuation).score, config)) {
      lint.reasons.push_back("at " + std::to_string(attenuation) + " dB a contact notifies from " +
                             std::to_string(minutes) + " minutes on");
      break;
    }
  }
  for (int db = attenuation - 1; db >= 0; --db) {
    if (v1_record_reaches_threshold(best_v1(config, keys, profile, contact.minutes, db).score, config)) {
      lint.reasons.push_back("a " + std::to_string(contact.minutes) + "-minute contact notifies at " +
                             std::to_string(db) + " dB or less");
      break;
    }
  }
  return lint;
}

// ---- v2 ----

PlatformLint lint_v2(const RiskConfig& config, const KeyMetadataSet& keys, const PlatformProfile& profile,
                     const ReferenceContact& contact, int attenuation) {
  const DailySummariesConfig& daily = *config.daily;
  PlatformLint lint;
  lint.platform = profile.name;
  lint.api = "v2";
  lint.threshold = config.minimum_daily_score.value_or(0);
  std::string threshold_text = config.minimum_daily_score ? "minimumDailyScore " + format(*config.minimum_daily_score)
                                                          : "0 (no minimumDailyScore given: any score above 0)";
  RiskConfig v2_only = config;  // the v2 verdict alone
  v2_only.v1.reset();
  bool reaches = false, some_contact_can = false;
  std::string best_text;
  for (const KeyMetadata& m : keys.present) {
    KeyMatch match = synthetic_contact(m, contact.minutes, attenuation, 0);
    auto windows = build_exposure_windows(match, config.mapping);
    Decision decision = decide(std::span<const KeyMatch>(&match, 1), windows, v2_only, profile, kNow);
    const V2Result& r = *decision.v2;
    double sum = r.daily_summaries.empty() ? 0 : r.daily_summaries[0].total.score_sum;
    if (best_text.empty() || sum > lint.best_reference_score) {
      lint.best_reference_score = sum;
      best_text = "reference contact scores " + format(sum) + " (report type " +
                  report_type_name(effective_report_type(match.key, config.mapping)) + ", infectiousness " +
                  infectiousness_name(infectiousness_of(match.key, config.mapping)) + ", TRL " +
                  std::to_string(m.transmission_risk_level) + ")";
    }
    reaches = reaches || decision.notify;
    // A long enough contact reaches any threshold when the weights of its kind are above 0.
    ReportType type = effective_report_type(match.key, config.mapping);
    Infectiousness inf = infectiousness_of(match.key, config.mapping);
    bool counted_type = type >= ReportType::kConfirmedTest && type <= ReportType::kRecursive;
    double weight = *std::max_element(daily.attenuation_bucket_weights.begin(), daily.attenuation_bucket_weights.end()) *
                    daily.report_type_weights[static_cast<size_t>(type)] *
                    daily.infectiousness_weights[static_cast<size_t>(inf)];
    some_contact_can = some_contact_can || (counted_type && inf != Infectiousness::kNone && weight > 0);
  }
  if (reaches) {
    lint.verdict = LintVerdict::kNotifies;
    lint.reasons.push_back(best_text + " reaching " + threshold_text);
  } else if (some_contact_can) {
    lint.verdict = LintVerdict::kReferenceContactFallsShort;
    lint.reasons.push_back(best_text + " below " + threshold_text + "; longer or closer contacts can reach it");
  } else {
    lint.verdict = LintVerdict::kNeverNotifies;
    lint.reasons.push_back("never notifies: every key present maps to a report type or infectiousness with weight 0 "
                           "(or one daily summaries leave out)");
  }
  return lint;
}

}  // namespace

Result<LintReport> lint_config(const RiskConfig& config, const KeyMetadataSet& metadata,
                               std::span<const PlatformProfile> profiles, const ReferenceContact& contact,
                               const PathLossModel& model) {
  if (!config.v1 && !config.daily) return invalid_argument("the configuration has neither v1 nor v2 fields");
  if (metadata.present.empty()) return invalid_argument("no diagnosis key to take metadata from");
  if (contact.minutes < 1 || contact.minutes > 24 * 60) return invalid_argument("reference contact minutes out of range 1..1440");
  LintReport report;
  report.reference_attenuation_db = model.attenuation_db(contact.meters);
  for (const PlatformProfile& profile : profiles) {
    if (config.v1) report.results.push_back(lint_v1(*config.v1, metadata, profile, contact, report.reference_attenuation_db));
    if (config.daily) report.results.push_back(lint_v2(config, metadata, profile, contact, report.reference_attenuation_db));
  }
  return report;
}

}  // namespace exposure
