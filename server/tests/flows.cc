#include "tests/flows.h"

#include <gtest/gtest.h>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server::testing {

int64_t test_day_start() { return days_from_civil(2026, 3, 10) * 86400; }

std::vector<UploadKey> daily_keys(int count, int64_t now) {
  std::vector<UploadKey> keys;
  const uint32_t today = static_cast<uint32_t>(now / 86400 * 144);
  for (int i = count - 1; i >= 0; --i) {
    UploadKey k;
    crypto::random_bytes(k.key);
    k.start = today - static_cast<uint32_t>(i) * 144;
    keys.push_back(k);
  }
  return keys;
}

nlohmann::json publish_keys_json(const std::vector<UploadKey>& keys) { return app_client::publish_keys_json(keys); }

std::string ekeyhmac_for(const std::vector<UploadKey>& keys, const Bytes& secret) {
  return app_client::ekeyhmac(keys, secret);
}

std::string issue_code(httplib::Client& client, const std::string& api_key, const std::string& test_type,
                       const std::string& symptom_date) {
  auto code = app_client::issue_code(client, api_key, {.test_type = test_type, .symptom_date = symptom_date});
  EXPECT_TRUE(code.ok()) << code.status().message();
  return code.ok() ? *code : "";
}

JsonResponse verify_code(httplib::Client& client, const std::string& code, const std::vector<std::string>& accept) {
  nlohmann::json body = {{"code", code}, {"padding", app_client::random_padding(100, 100)}};
  if (!accept.empty()) body["accept"] = accept;
  return app_client::post_json(client, "/api/verify", body);
}

JsonResponse request_certificate(httplib::Client& client, const std::string& token, const std::string& ekeyhmac) {
  return app_client::post_json(client, "/api/certificate", {{"token", token}, {"ekeyhmac", ekeyhmac}});
}

nlohmann::json publish_body(const std::vector<UploadKey>& keys, const std::string& certificate, const Bytes& secret,
                            const std::string& app_id, const std::string& revision_token) {
  return app_client::publish_body(keys, certificate, secret, app_id, revision_token);
}

JsonResponse google_upload(httplib::Client& client, const std::string& api_key, const std::vector<UploadKey>& keys,
                           const GoogleUpload& options) {
  auto certified =
      app_client::certify_keys(client, api_key, keys, {.test_type = options.test_type, .symptom_date = options.symptom_date});
  EXPECT_TRUE(certified.ok()) << certified.status().message();
  if (!certified.ok()) return {};
  // The tests read the publish reply whatever its status.
  return app_client::post_json(
      client, "/v1/publish",
      publish_body(keys, certified->certificate, certified->hmac_secret, options.app_id, options.revision_token));
}

nlohmann::json cocoa_body(const std::vector<UploadKey>& keys, const std::string& processing_number,
                          const std::string& idempotency_key, const std::string& app_id,
                          const std::vector<std::string>& regions) {
  app_client::CocoaUploadOptions options;
  options.app_id = app_id;
  options.regions = regions;
  options.idempotency_key = idempotency_key;
  return app_client::cocoa_body(keys, processing_number, options);
}

std::vector<keyfile::ExportContents> download_exports(httplib::Client& client, const std::string& region,
                                                      const std::string& public_key_line) {
  std::vector<keyfile::ExportContents> out;
  auto key = app_client::parse_public_key_line(public_key_line);
  EXPECT_TRUE(key.ok()) << key.status().to_string();
  if (!key.ok()) return out;
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));
  auto download = app_client::download_exports(client, region, sets);
  EXPECT_TRUE(download.ok()) << download.status().message();
  if (!download.ok()) return out;
  for (app_client::DownloadedFile& file : download->files) out.push_back(std::move(file.contents));
  return out;
}

bool contains_key(const std::vector<DiagnosisKey>& keys, const KeyData& key, DiagnosisKey* found) {
  for (const DiagnosisKey& k : keys) {
    if (k.key_data == key) {
      if (found) *found = k;
      return true;
    }
  }
  return false;
}

}  // namespace exposure::server::testing
