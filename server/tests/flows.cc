#include "tests/flows.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/text.h"
#include "exposure/crypto.h"
#include "publish/tekmac.h"

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

static std::vector<TekmacKey> tekmac_keys(const std::vector<UploadKey>& keys) {
  std::vector<TekmacKey> out;
  for (const UploadKey& k : keys) out.push_back(TekmacKey{to_base64(k.key), k.start, k.period, k.transmission_risk});
  return out;
}

nlohmann::json publish_keys_json(const std::vector<UploadKey>& keys) {
  nlohmann::json out = nlohmann::json::array();
  for (const TekmacKey& k : tekmac_keys(keys)) {
    out.push_back({{"key", k.key},
                   {"rollingStartNumber", k.rolling_start_number},
                   {"rollingPeriod", k.rolling_period},
                   {"transmissionRisk", k.transmission_risk}});
  }
  return out;
}

std::string ekeyhmac_for(const std::vector<UploadKey>& keys, const Bytes& secret) {
  auto tk = tekmac_keys(keys);
  auto mac = compute_tekmac(tk, secret, true);
  return to_base64(mac);
}

std::string issue_code(httplib::Client& client, const std::string& api_key, const std::string& test_type,
                       const std::string& symptom_date) {
  nlohmann::json body = {{"testType", test_type}};
  if (!symptom_date.empty()) body["symptomDate"] = symptom_date;
  auto r = post_json(client, "/api/issue", body, {{"X-API-Key", api_key}});
  EXPECT_EQ(r.status, 200) << r.raw;
  if (r.status != 200) return "";
  return r.body["code"].get<std::string>();
}

JsonResponse verify_code(httplib::Client& client, const std::string& code, const std::vector<std::string>& accept) {
  nlohmann::json body = {{"code", code}, {"padding", random_padding(100, 100)}};
  if (!accept.empty()) body["accept"] = accept;
  return post_json(client, "/api/verify", body);
}

JsonResponse request_certificate(httplib::Client& client, const std::string& token, const std::string& ekeyhmac) {
  return post_json(client, "/api/certificate", {{"token", token}, {"ekeyhmac", ekeyhmac}});
}

nlohmann::json publish_body(const std::vector<UploadKey>& keys, const std::string& certificate, const Bytes& secret,
                            const std::string& app_id, const std::string& revision_token) {
  nlohmann::json body = {{"temporaryExposureKeys", publish_keys_json(keys)},
                         {"healthAuthorityID", app_id},
                         {"verificationPayload", certificate},
                         {"hmacKey", to_base64(secret)},
                         {"padding", random_padding(1024, 1024)}};
  if (!revision_token.empty()) body["revisionToken"] = revision_token;
  return body;
}

JsonResponse google_upload(httplib::Client& client, const std::string& api_key, const std::vector<UploadKey>& keys,
                           const GoogleUpload& options) {
  std::string code = issue_code(client, api_key, options.test_type, options.symptom_date);
  auto verified = verify_code(client, code);
  EXPECT_EQ(verified.status, 200) << verified.raw;
  Bytes secret(32);
  crypto::random_bytes(secret);
  auto cert = request_certificate(client, verified.body.value("token", ""), ekeyhmac_for(keys, secret));
  EXPECT_EQ(cert.status, 200) << cert.raw;
  return post_json(client, "/v1/publish",
                   publish_body(keys, cert.body.value("certificate", ""), secret, options.app_id, options.revision_token));
}

nlohmann::json cocoa_body(const std::vector<UploadKey>& keys, const std::string& processing_number,
                          const std::string& idempotency_key, const std::string& app_id,
                          const std::vector<std::string>& regions) {
  nlohmann::json list = nlohmann::json::array();
  for (const UploadKey& k : keys) {
    list.push_back({{"keyData", to_base64(k.key)},
                    {"rollingStartNumber", k.start},
                    {"rollingPeriod", k.period},
                    {"reportType", 1}});
  }
  nlohmann::json body = {{"keys", list},
                         {"regions", regions},
                         {"platform", "Android"},
                         {"deviceVerificationPayload", "device-check-token"},
                         {"appPackageName", app_id},
                         {"verificationPayload", processing_number},
                         {"padding", random_padding(500, 500)}};
  if (!idempotency_key.empty()) body["idempotencyKey"] = idempotency_key;
  return body;
}

std::vector<keyfile::ExportContents> download_exports(httplib::Client& client, const std::string& region,
                                                      const std::string& public_key_line) {
  std::vector<keyfile::ExportContents> out;
  auto index = client.Get(("/exports/" + region + "/index.txt").c_str());
  EXPECT_TRUE(index && index->status == 200);
  if (!index || index->status != 200) return out;
  size_t comma = public_key_line.find(',');
  auto key = keyfile::make_verification_key(public_key_line.substr(0, comma), as_bytes(public_key_line.substr(comma + 1)));
  EXPECT_TRUE(key.ok()) << key.status().to_string();
  if (!key.ok()) return out;
  std::vector<keyfile::CosignSet> sets(1);
  sets[0].push_back(std::move(*key));
  std::istringstream lines(index->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto file = client.Get(("/exports/" + line).c_str());
    EXPECT_TRUE(file && file->status == 200) << line;
    if (!file || file->status != 200) continue;
    Bytes data(file->body.begin(), file->body.end());
    Status verified = keyfile::verify_export_bytes(data, sets);
    EXPECT_TRUE(verified.ok()) << line << ": " << verified.to_string();
    auto contents = keyfile::read_export_bytes(data);
    EXPECT_TRUE(contents.ok()) << line << ": " << contents.status().to_string();
    if (contents.ok()) out.push_back(std::move(*contents));
  }
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
