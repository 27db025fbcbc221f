#include "exposure/exposure_window.h"

#include <algorithm>

#include "exposure/crypto.h"

namespace exposure {

ReportType effective_report_type(const DiagnosisKey& key, const DiagnosisKeysDataMapping& mapping) {
  auto value = static_cast<int32_t>(key.report_type);
  bool known = value >= static_cast<int32_t>(ReportType::kConfirmedTest) &&
               value <= static_cast<int32_t>(ReportType::kRevoked);
  return known ? key.report_type : mapping.report_type_when_missing;
}

Infectiousness infectiousness_of(const DiagnosisKey& key, const DiagnosisKeysDataMapping& mapping) {
  if (!key.days_since_onset_of_symptoms || *key.days_since_onset_of_symptoms < -kMaxDaysSinceOnset ||
      *key.days_since_onset_of_symptoms > kMaxDaysSinceOnset) {
    return mapping.infectiousness_when_days_since_onset_missing;
  }
  return mapping.days_since_onset_to_infectiousness[*key.days_since_onset_of_symptoms + kMaxDaysSinceOnset];
}

namespace {

// A scan instance being filled.
struct OpenScan {
  int seconds_since_last_scan = 0;
  int64_t attenuation_sum = 0;
  int count = 0;
  int minimum = 255;

  void add(int attenuation) {
    attenuation_sum += attenuation;
    ++count;
    minimum = std::min(minimum, attenuation);
  }
  ScanInstance close() const {
    // Java Math.round(sum / count) = floor(mean + 1/2), exact in integers for sums >= 0.
    int typical = static_cast<int>((2 * attenuation_sum + count) / (2 * count));
    return {typical, minimum, seconds_since_last_scan};
  }
};

// GMS has no lower bound here: a previous scan recorded after the sighting (only imported or
// forged data has one) gives it a negative value. We count 0 instead, so no sighting can take
// seconds away from its window (docs/matching.md, "Where we differ from the platforms, and why").
int seconds_since_last_scan(const MatchedSighting& s) {
  if (s.previous_scan_time == 0) return kDefaultSecondsSinceLastScan;
  int64_t minutes = int64_t{s.time / 60} - int64_t{s.previous_scan_time / 60};
  return static_cast<int>(60 * std::clamp<int64_t>(minutes, 0, kMaxMinutesSinceLastScan));
}

}  // namespace

std::vector<ExposureWindow> build_exposure_windows(const KeyMatch& match,
                                                   const DiagnosisKeysDataMapping& mapping) {
  std::vector<ExposureWindow> windows;
  ReportType report_type = effective_report_type(match.key, mapping);
  Infectiousness infectiousness = infectiousness_of(match.key, mapping);
  OpenScan scan;
  const MatchedSighting* previous = nullptr;
  for (const MatchedSighting& s : match.sightings) {
    bool new_window = windows.empty() || s.time - windows.back().start_time >= kMaxExposureWindowSeconds;
    if (new_window) {
      if (scan.count > 0) windows.back().scan_instances.push_back(scan.close());
      scan = OpenScan{};
      ExposureWindow window;
      window.start_time = s.time;
      window.report_type = report_type;
      window.infectiousness = infectiousness;
      window.calibration_confidence = s.calibration_confidence;
      window.key_stream_position = match.stream_position;
      windows.push_back(std::move(window));
    }
    bool same_scan = scan.count > 0 && previous && s.time - previous->time <= kSameScanMaxGapSeconds;
    if (!same_scan) {
      if (scan.count > 0) windows.back().scan_instances.push_back(scan.close());
      scan = OpenScan{};
      scan.seconds_since_last_scan = seconds_since_last_scan(s);
    }
    scan.add(s.attenuation_db);
    previous = &s;
  }
  if (scan.count > 0) windows.back().scan_instances.push_back(scan.close());
  return windows;
}

void shuffle_exposure_windows(std::vector<ExposureWindow>& windows) {
  // Fisher-Yates with unbiased draws from the CSPRNG.
  for (size_t i = windows.size(); i > 1; --i) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % i, draw;
    do {
      crypto::random_bytes(MutableByteView(reinterpret_cast<uint8_t*>(&draw), sizeof draw));
    } while (draw >= limit);
    std::swap(windows[i - 1], windows[draw % i]);
  }
}

}  // namespace exposure
