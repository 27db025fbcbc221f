// The fixed-size little-endian records lists travel in between Java and the glue (the layout
// is documented, and mirrored, in org/exposure/Records.java).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "exposure.h"

namespace exposure::jni {

inline constexpr size_t kTekRecord = 24;
inline constexpr size_t kSightingRecord = 29;
inline constexpr size_t kDiagnosisKeyRecord = 40;
inline constexpr size_t kKeyMetadataRecord = 16;

// Each unpack function reads whole records only (a trailing partial record is ignored; the
// Java side never sends one).
std::vector<exposure_tek> unpack_teks(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> pack_teks(const exposure_tek* keys, size_t count);

std::vector<exposure_sighting> unpack_sightings(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> pack_sightings(const exposure_sighting* sightings, size_t count);

std::vector<exposure_diagnosis_key> unpack_diagnosis_keys(const std::vector<uint8_t>& bytes);
std::vector<uint8_t> pack_diagnosis_keys(const exposure_diagnosis_key* keys, size_t count);

std::vector<exposure_key_metadata> unpack_key_metadata(const std::vector<uint8_t>& bytes);

}  // namespace exposure::jni
