#include "capi/capi_convert.h"

#include <algorithm>
#include <cstring>

#include "exposure/keyfile_format.h"

namespace exposure::capi {

Sighting from_c(const exposure_sighting& s) {
  Sighting out;
  std::copy_n(s.beacon.rpi, out.rpi.size(), out.rpi.begin());
  std::copy_n(s.beacon.aem, out.aem.size(), out.aem.begin());
  out.time = s.time;
  out.previous_scan_time = s.previous_scan_time;
  out.rssi = s.rssi;
  return out;
}

exposure_sighting to_c(const Sighting& s) {
  exposure_sighting out{};
  std::copy(s.rpi.begin(), s.rpi.end(), out.beacon.rpi);
  std::copy(s.aem.begin(), s.aem.end(), out.beacon.aem);
  out.time = s.time;
  out.previous_scan_time = s.previous_scan_time;
  out.rssi = s.rssi;
  return out;
}

Result<TemporaryExposureKey> from_c(const exposure_tek& key, const std::string& what) {
  if (key.rolling_period < 1 || key.rolling_period > kTekRollingPeriod) {
    return invalid_argument(what + ": rolling_period " + std::to_string(key.rolling_period) +
                            " out of range 1..144");
  }
  TemporaryExposureKey out;
  std::copy_n(key.key_data, out.key_data.size(), out.key_data.data());
  out.rolling_start_interval_number = key.rolling_start_interval_number;
  out.rolling_period = key.rolling_period;
  return out;
}

exposure_tek to_c(const TemporaryExposureKey& key) {
  exposure_tek out{};
  std::copy_n(key.key_data.data(), key.key_data.size(), out.key_data);
  out.rolling_start_interval_number = key.rolling_start_interval_number;
  out.rolling_period = key.rolling_period;
  return out;
}

Result<DiagnosisKey> from_c(const exposure_diagnosis_key& key, const std::string& what) {
  DiagnosisKey out;
  std::copy_n(key.key_data, out.key_data.size(), out.key_data.begin());
  out.rolling_start_interval_number = key.rolling_start_interval_number;
  out.rolling_period = key.rolling_period;
  out.transmission_risk_level = key.transmission_risk_level;
  out.report_type = static_cast<ReportType>(key.report_type);
  if (key.has_days_since_onset != 0) out.days_since_onset_of_symptoms = key.days_since_onset_of_symptoms;
  Status valid = keyfile::check_diagnosis_key(out);
  if (!valid.ok()) return invalid_argument(what + ": " + valid.message());
  return out;
}

exposure_diagnosis_key to_c(const DiagnosisKey& key) {
  exposure_diagnosis_key out{};
  std::copy(key.key_data.begin(), key.key_data.end(), out.key_data);
  out.rolling_start_interval_number = key.rolling_start_interval_number;
  out.rolling_period = key.rolling_period;
  out.transmission_risk_level = key.transmission_risk_level;
  out.report_type = static_cast<int32_t>(key.report_type);
  out.has_days_since_onset = key.days_since_onset_of_symptoms.has_value() ? 1 : 0;
  out.days_since_onset_of_symptoms = key.days_since_onset_of_symptoms.value_or(0);
  return out;
}

namespace {

template <typename T, typename CType>
Result<std::vector<T>> convert_all(const CType* items, size_t count, const char* name) {
  EXPOSURE_RETURN_IF_ERROR(require_array(items, count, name));
  std::vector<T> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    auto item = from_c(items[i], std::string(name) + "[" + std::to_string(i) + "]");
    if (!item.ok()) return item.status();
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace

Result<std::vector<TemporaryExposureKey>> teks_from_c(const exposure_tek* keys, size_t count, const char* name) {
  return convert_all<TemporaryExposureKey>(keys, count, name);
}

Result<std::vector<DiagnosisKey>> diagnosis_keys_from_c(const exposure_diagnosis_key* keys, size_t count,
                                                        const char* name) {
  return convert_all<DiagnosisKey>(keys, count, name);
}

std::vector<Sighting> sightings_from_c(const exposure_sighting* sightings, size_t count) {
  std::vector<Sighting> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out.push_back(from_c(sightings[i]));
  return out;
}

Result<std::vector<keyfile::CosignSet>> cosign_sets_from_c(const exposure_public_key* keys, size_t count) {
  EXPOSURE_RETURN_IF_ERROR(require_array(keys, count, "public_keys"));
  std::vector<keyfile::CosignSet> sets;
  for (size_t i = 0; i < count; ++i) {
    const std::string what = "public_keys[" + std::to_string(i) + "]";
    EXPOSURE_RETURN_IF_ERROR(require(keys[i].name, (what + ".name").c_str()));
    EXPOSURE_RETURN_IF_ERROR(require_array(keys[i].key, keys[i].key_length, (what + ".key").c_str()));
    auto key = keyfile::make_verification_key(keys[i].name, ByteView(keys[i].key, keys[i].key_length));
    if (!key.ok()) return invalid_argument(what + ": " + key.status().message());
    sets.emplace_back();
    sets.back().push_back(std::move(*key));
  }
  return sets;
}

Result<std::vector<const PlatformProfile*>> platforms_from_c(const char* platform) {
  std::string name = platform == nullptr ? "all" : platform;
  std::vector<const PlatformProfile*> out;
  for (const PlatformProfile& p : all_platform_profiles())
    if (name == "all" || name == p.name) out.push_back(&p);
  if (out.empty()) return invalid_argument("platform '" + name + "': expected android, ios or all");
  return out;
}

}  // namespace exposure::capi
