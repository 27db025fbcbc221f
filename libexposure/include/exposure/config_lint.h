// The config linter: can a reference contact ever reach the notification threshold, on each
// platform, with the key metadata the health authority's server actually publishes? It
// scores synthetic contacts through the real scoring code (risk.h), so it sees what a phone
// would. docs/risk.md explains the verdicts and the path-loss model.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/risk.h"

namespace exposure {

// The metadata of a published key that scoring reads.
struct KeyMetadata {
  int transmission_risk_level = 0;
  ReportType report_type = ReportType::kUnknown;
  std::optional<int> days_since_onset;
  auto operator<=>(const KeyMetadata&) const = default;
};

// Distinct metadata combinations present in a set of keys.
struct KeyMetadataSet {
  std::set<KeyMetadata> present;
  uint64_t keys = 0;
  void add(const DiagnosisKey& key);
  void add(const KeyMetadata& metadata) {
    present.insert(metadata);
    ++keys;
  }
};

// Log-distance path loss: attenuation(d) = attenuation_at_1m + 10 * exponent * log10(d / 1 m),
// rounded to whole dB. Defaults: 55 dB at 1 m, exponent 2 (free space); see docs/risk.md.
struct PathLossModel {
  double attenuation_at_1m_db = 55;
  double exponent = 2;
  int attenuation_db(double meters) const;
};

// A contact of `minutes` at `meters`, scanned every 5 minutes (each scan stands for the 5
// minutes before it: 15 minutes = 3 scans, v1 duration 15 min, v2 weighted 900 s).
struct ReferenceContact {
  int minutes = 15;
  double meters = 1;
};

enum class LintVerdict {
  kNotifies,                  // the reference contact reaches the threshold
  kReferenceContactFallsShort,  // it does not, though some contacts do
  kNeverNotifies,             // no contact at all can reach it
};
const char* lint_verdict_name(LintVerdict verdict);  // "notifies", ...

struct PlatformLint {
  std::string platform;  // "android", "ios"
  std::string api;       // "v1" or "v2"
  LintVerdict verdict = LintVerdict::kNeverNotifies;
  double best_reference_score = 0;  // over the metadata present and days 0..14
  double threshold = 0;             // minimumRiskScore (v1) or the daily threshold (v2)
  std::vector<std::string> reasons;  // one line each
};

struct LintReport {
  int reference_attenuation_db = 0;
  std::vector<PlatformLint> results;  // per platform, v1 first when both are configured
  // True when the reference contact notifies everywhere.
  bool all_notify() const;
};

// Lints `config` for each profile. kInvalidArgument when the configuration has neither v1
// nor v2 fields, or `metadata` holds no key.
Result<LintReport> lint_config(const RiskConfig& config, const KeyMetadataSet& metadata,
                               std::span<const PlatformProfile> profiles,
                               const ReferenceContact& contact = {}, const PathLossModel& model = {});

}  // namespace exposure
