// Helpers for the C ABI tests: they reach the library only through exposure.h and the shared
// library, like a binding does.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "exposure.h"

namespace exposure::capi_test {

// Expects EXPOSURE_OK and shows the last error otherwise.
#define EXPECT_C_OK(call) EXPECT_EQ((call), EXPOSURE_OK) << exposure_last_error()
#define ASSERT_C_OK(call) ASSERT_EQ((call), EXPOSURE_OK) << exposure_last_error()

std::string data_path(const std::string& name);
std::string read_file(const std::string& path);
std::vector<uint8_t> from_hex(const std::string& hex);
std::string to_hex(const uint8_t* data, size_t length);

// Owners for what the library hands out.
struct FreeString {
  void operator()(char* s) const { exposure_free_string(s); }
};
using UniqueString = std::unique_ptr<char, FreeString>;
struct FreeSightings {
  void operator()(exposure_sighting* s) const { exposure_free_sightings(s); }
};
struct FreeDiagnosisKeys {
  void operator()(exposure_diagnosis_key* k) const { exposure_free_diagnosis_keys(k); }
};
struct CloseStore {
  void operator()(exposure_store* s) const { exposure_store_close(s); }
};
using UniqueStore = std::unique_ptr<exposure_store, CloseStore>;
struct FreeSchedule {
  void operator()(exposure_key_schedule* s) const { exposure_key_schedule_free(s); }
};
using UniqueSchedule = std::unique_ptr<exposure_key_schedule, FreeSchedule>;
struct FreeMatchResult {
  void operator()(exposure_match_result* r) const { exposure_match_result_free(r); }
};
using UniqueMatchResult = std::unique_ptr<exposure_match_result, FreeMatchResult>;

// Copies of the arrays the library returns (the originals are freed).
std::vector<exposure_tek> take_teks(exposure_tek* keys, size_t count);
std::vector<exposure_sighting> take_sightings(exposure_sighting* sightings, size_t count);
std::vector<exposure_diagnosis_key> take_diagnosis_keys(exposure_diagnosis_key* keys, size_t count);

// The conformance archive signed by the server example, its public key (key id "some_id",
// version "1") and the key with TEK K2MFOsSDI43hdhaehh89zQ== (start 2649866, period 114, TRL 1).
inline const char* kServerExampleKeyName = "some_id-1";
std::string server_example_archive();
const std::string& server_example_public_pem();
exposure_public_key server_example_public_key();
inline constexpr uint32_t kServerExampleKeyStart = 2649866;
inline const char* kServerExampleKeyHex = "2b63053ac483238de176169e861f3dcd";

// Sightings of `tek`'s RPIs (metadata v1.0, TX power +8 dBm): `scans` scans five minutes
// apart from `first_time`, each at `rssi` and knowing its previous scan.
std::vector<exposure_sighting> contact_sightings(const std::string& tek_hex, uint32_t first_time, int scans,
                                                 int8_t rssi);

// A 20-minute contact at 55 dB with the server example's key, and a time two days later.
std::vector<exposure_sighting> server_example_contact();
int64_t server_example_now();

}  // namespace exposure::capi_test
