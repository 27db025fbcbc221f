// The Google-compatible publish request and reply (Google's server API) and their JSON
// forms. parse_publish_request is pure (tests and fuzzers call it directly).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/status.h"
#include "publish/tekmac.h"

namespace exposure::server {

struct PublishRequest {
  std::vector<TekmacKey> keys;  // temporaryExposureKeys, key text as sent
  std::string health_authority_id;
  std::string verification_payload;
  std::string hmac_key;
  int32_t symptom_onset_interval = 0;  // 0 = not given
  bool traveler = false;
  std::string revision_token;
};

struct PublishReply {
  std::string revision_token;
  int64_t inserted_exposures = 0;
  std::string code;   // "partial_failure" when keys were dropped
  std::string error;  // which keys and why
  std::vector<std::string> warnings;
};

// Decodes a /v1/publish body: fields case-insensitively (hmacKey == hmackey), unknown
// fields rejected, integers within int32 (transmissionRisk too).
Result<PublishRequest> parse_publish_request(std::string_view body);

// The reply object (omitempty as the reference server: revisionToken, insertedExposures,
// code, error, warnings only when set).
nlohmann::json to_json(const PublishReply& reply);

}  // namespace exposure::server
