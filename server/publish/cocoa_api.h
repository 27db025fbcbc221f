// The COCOA-compatible diagnosis upload (PUT /api/v3/diagnosis and /api/v2/diagnosis) and
// its JSON form. parse_cocoa_request is pure (tests and fuzzers call it directly).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/status.h"
#include "publish/tekmac.h"

namespace exposure::server {

struct CocoaKey {
  std::string key_data;  // base64 of 16 bytes
  int64_t rolling_start_number = 0;
  int64_t rolling_period = 0;  // 0 means 144, as COCOA reads it
  int32_t transmission_risk = 0;
  int32_t report_type = 0;
  std::optional<int32_t> days_since_onset;  // sent by some app versions; recomputed here
};

struct CocoaDiagnosisRequest {
  std::vector<CocoaKey> keys;
  std::vector<std::string> regions;
  std::vector<std::string> sub_regions;
  std::string platform;
  std::string device_verification_payload;
  std::string app_package_name;
  std::string verification_payload;  // the processing number (verification code)
  std::string idempotency_key;       // "idempotencyKey" or COCOA's "idempotency_key"
  std::string symptom_onset_date;    // RFC 3339 (older v3 apps)
  std::optional<bool> has_symptom;
  std::string onset_of_symptom_or_test_date;  // RFC 3339
};

// Decodes the body; unknown fields rejected, names case-insensitive.
Result<CocoaDiagnosisRequest> parse_cocoa_request(std::string_view body);

// The keys as the shared validation sees them (rolling period 0 read as 144).
std::vector<TekmacKey> cocoa_keys_for_validation(const CocoaDiagnosisRequest& request);

struct CocoaReply {
  int64_t inserted_exposures = 0;
  std::string code;   // "partial_failure" when keys were dropped
  std::string error;  // which keys and why
  std::vector<std::string> warnings;
};
nlohmann::json to_json(const CocoaReply& reply);

}  // namespace exposure::server
