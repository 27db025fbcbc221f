// Exposure Windows (the v2 API's view of a match) and the DiagnosisKeysDataMapping that
// labels them, as the deployed implementation builds them (docs/matching.md).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/matching.h"
#include "exposure/metadata.h"

namespace exposure {

inline constexpr uint32_t kMaxExposureWindowSeconds = 1800;  // windows are cut at 30 min
inline constexpr int kDefaultSecondsSinceLastScan = 120;     // previous scan unknown
inline constexpr int kMaxMinutesSinceLastScan = 5;

enum class Infectiousness : uint8_t { kNone = 0, kStandard = 1, kHigh = 2 };

// How a key's metadata becomes a window's report type and infectiousness. The defaults are
// the platforms' when an app never set a mapping.
struct DiagnosisKeysDataMapping {
  // Index days_since_onset + 14 (days -14..14). Days not configured are kNone.
  std::array<Infectiousness, 29> days_since_onset_to_infectiousness;
  // Used for keys of report type UNKNOWN (or outside the known range). Never kUnknown.
  ReportType report_type_when_missing = ReportType::kConfirmedTest;
  // Used for keys without days since onset, or with |days| > 14.
  Infectiousness infectiousness_when_days_since_onset_missing = Infectiousness::kStandard;

  DiagnosisKeysDataMapping() { days_since_onset_to_infectiousness.fill(Infectiousness::kStandard); }
  bool operator==(const DiagnosisKeysDataMapping&) const = default;
};

// The report type a window of `key` carries under `mapping`.
ReportType effective_report_type(const DiagnosisKey& key, const DiagnosisKeysDataMapping& mapping);
// The infectiousness a window of `key` carries under `mapping`.
Infectiousness infectiousness_of(const DiagnosisKey& key, const DiagnosisKeysDataMapping& mapping);

struct ScanInstance {
  int typical_attenuation_db = 0;  // Java Math.round of the mean attenuation of the scan
  int min_attenuation_db = 0;
  int seconds_since_last_scan = 0;  // 0..300 in steps of 60, 120 when the previous scan is unknown
  bool operator==(const ScanInstance&) const = default;
};

struct ExposureWindow {
  uint32_t start_time = 0;  // unix seconds of the first sighting
  int64_t day() const { return start_time / 86400; }  // UTC day; the API reports its start
  ReportType report_type = ReportType::kConfirmedTest;
  Infectiousness infectiousness = Infectiousness::kStandard;
  CalibrationConfidence calibration_confidence = CalibrationConfidence::kLowest;  // first sighting's
  std::vector<ScanInstance> scan_instances;
  uint64_t key_stream_position = 0;  // the matched key it came from
  bool operator==(const ExposureWindow&) const = default;
};

// The windows of one matched key, in time order: a window starts at the first sighting and
// whenever a sighting comes 1800 s or more after the window's start; a sighting at most
// 25.5 s after the previous one joins the current scan instance, otherwise it opens a new
// one whose seconds_since_last_scan is 120 when its previous scan time is unknown (0), else
// 60 * min(5, minute(time) - minute(previous scan)), and 0 if the previous scan lies after
// the sighting (which no scanner records; GMS gives a negative value there, docs/matching.md).
std::vector<ExposureWindow> build_exposure_windows(const KeyMatch& match,
                                                   const DiagnosisKeysDataMapping& mapping);

// Shuffles windows with the CSPRNG, as the platforms do before handing them to an app (so
// windows of one key cannot be linked by their order).
void shuffle_exposure_windows(std::vector<ExposureWindow>& windows);

}  // namespace exposure
