// Client-side steps of the upload flows for the integration tests: thin asserting wrappers
// over the app client library (client/app_client.h), which holds the flows themselves.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "client/app_client.h"
#include "exposure/keyfile.h"
#include "exposure/keys.h"
#include "tests/server_harness.h"

namespace exposure::server::testing {

// A fixed test time: 2026-03-10 15:20:00 UTC (a key of that day is still valid).
int64_t test_day_start();  // 2026-03-10 00:00:00 UTC
inline int64_t test_start_time() { return test_day_start() + 15 * 3600 + 20 * 60; }

using app_client::UploadKey;

// `count` daily keys ending with the key of the day containing `now` (random key bytes).
std::vector<UploadKey> daily_keys(int count, int64_t now);

// The temporaryExposureKeys array, and the HMAC secret / ekeyhmac of the keys.
nlohmann::json publish_keys_json(const std::vector<UploadKey>& keys);
std::string ekeyhmac_for(const std::vector<UploadKey>& keys, const Bytes& secret);

// /api/issue; returns the code (asserts 200).
std::string issue_code(httplib::Client& client, const std::string& api_key, const std::string& test_type,
                       const std::string& symptom_date = "");
// /api/verify; returns the response.
JsonResponse verify_code(httplib::Client& client, const std::string& code,
                         const std::vector<std::string>& accept = {});
// /api/certificate.
JsonResponse request_certificate(httplib::Client& client, const std::string& token, const std::string& ekeyhmac);

// The whole Google flow: issue -> verify -> certificate -> publish. Returns the publish
// response. Asserts the earlier steps succeed.
struct GoogleUpload {
  std::string app_id = "com.example.app";
  std::string test_type = "confirmed";
  std::string symptom_date;
  std::string revision_token;
};
JsonResponse google_upload(httplib::Client& client, const std::string& api_key, const std::vector<UploadKey>& keys,
                           const GoogleUpload& options);

// The publish body for keys with a certificate.
nlohmann::json publish_body(const std::vector<UploadKey>& keys, const std::string& certificate, const Bytes& secret,
                            const std::string& app_id, const std::string& revision_token = "");

// A COCOA v3 body.
nlohmann::json cocoa_body(const std::vector<UploadKey>& keys, const std::string& processing_number,
                          const std::string& idempotency_key, const std::string& app_id,
                          const std::vector<std::string>& regions);

// Downloads index.txt of a region and every file it lists, verifies each with `public_key`
// ("ID-VERSION,BASE64" as printed by signing-key add) and returns their contents.
std::vector<keyfile::ExportContents> download_exports(httplib::Client& client, const std::string& region,
                                                      const std::string& public_key_line);

// True when `keys` holds a key with these bytes; *found gets it.
bool contains_key(const std::vector<DiagnosisKey>& keys, const KeyData& key, DiagnosisKey* found = nullptr);

}  // namespace exposure::server::testing
