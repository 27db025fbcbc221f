// The platform profiles: where Android and iOS read the same configuration differently.
// Sources are listed in docs/risk.md.
#include <algorithm>
#include <array>

#include "exposure/risk.h"

namespace exposure {

int PlatformProfile::transmission_factor(const ExposureConfiguration& config,
                                         int transmission_risk_level) const {
  int level = std::clamp(transmission_risk_level, 0, kMaxTransmissionRiskLevel);
  if (platform == Platform::kAndroid) {
    // RiskScoreCalculator: level 0 ("unknown") contributes a factor of exactly 1.
    return level == 0 ? 1 : config.transmission_risk_scores[level - 1];
  }
  // ENExposureConfiguration.transmissionRiskLevelValues: entry L for level L (0..7).
  return config.transmission_risk_scores[std::min(level, 7)];
}

int PlatformProfile::reported_v1_score(int full_range_score) const {
  return platform == Platform::kIos ? std::min(full_range_score, 255) : full_range_score;
}

namespace {
// Of the three edges listed in risk.h (docs/risk.md, "Where we differ from the platforms, and
// why"): android follows GMS for same-second sightings and differs from it on a previous scan
// after the sighting (clamped) and on NONE windows (dropped, as documented); ios scores all
// three the same way, none of them being documented by Apple.
const std::array<PlatformProfile, 2> kProfiles{{{Platform::kAndroid, "android"}, {Platform::kIos, "ios"}}};
}  // namespace

const PlatformProfile& android_profile() { return kProfiles[0]; }
const PlatformProfile& ios_profile() { return kProfiles[1]; }
std::span<const PlatformProfile> all_platform_profiles() { return kProfiles; }

const PlatformProfile* find_platform_profile(std::string_view name) {
  for (const auto& p : kProfiles)
    if (name == p.name) return &p;
  return nullptr;
}

}  // namespace exposure
