// Conversions between the C ABI's plain structs and the library's C++ types, with the range
// checks the C++ side expects from its callers.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/diagnosis_key.h"
#include "exposure/keyfile_verify.h"
#include "exposure/keys.h"
#include "exposure/risk.h"
#include "exposure/sighting.h"

namespace exposure::capi {

Sighting from_c(const exposure_sighting& s);
exposure_sighting to_c(const Sighting& s);

// kInvalidArgument "<what>: rolling_period 0 out of range 1..144".
Result<TemporaryExposureKey> from_c(const exposure_tek& key, const std::string& what);
exposure_tek to_c(const TemporaryExposureKey& key);

// Checked like a key read from an export file ("<what>: transmission_risk_level 9 out of ...").
Result<DiagnosisKey> from_c(const exposure_diagnosis_key& key, const std::string& what);
exposure_diagnosis_key to_c(const DiagnosisKey& key);

// Converts `count` C structs (NULL allowed when count is 0); errors name "<name>[i]".
Result<std::vector<TemporaryExposureKey>> teks_from_c(const exposure_tek* keys, size_t count, const char* name);
Result<std::vector<DiagnosisKey>> diagnosis_keys_from_c(const exposure_diagnosis_key* keys, size_t count,
                                                        const char* name);

// Every sighting of a C array (NULL allowed when count is 0).
std::vector<Sighting> sightings_from_c(const exposure_sighting* sightings, size_t count);

// Copies `items` into a malloc'ed C array for the caller (*out NULL when empty).
template <typename CType, typename T>
void hand_out(std::span<const T> items, CType** out, size_t* out_count) {
  CType* array = allocate_array<CType>(items.size());
  for (size_t i = 0; i < items.size(); ++i) array[i] = to_c(items[i]);
  *out = array;
  *out_count = items.size();
}

// One cosign set per public key; kInvalidArgument "public_keys[i]: ..." for a bad name or key.
Result<std::vector<keyfile::CosignSet>> cosign_sets_from_c(const exposure_public_key* keys, size_t count);

// "android", "ios", "all" or NULL (all) to platform profiles.
Result<std::vector<const PlatformProfile*>> platforms_from_c(const char* platform);

}  // namespace exposure::capi
