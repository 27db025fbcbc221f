#include "client/app_client.h"

#include <algorithm>
#include <sstream>

#include "exposure/crypto.h"

namespace exposure::app_client {
namespace {

JsonReply to_reply(const httplib::Result& r) {
  JsonReply out;
  if (!r) return out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

// "<step>: HTTP <status> <errorCode or code>: <error>" (or the transport failure).
Status step_error(std::string_view step, const JsonReply& reply) {
  if (reply.status == 0) return {ErrorCode::kIoError, std::string(step) + ": no reply from the server"};
  std::string text = std::string(step) + ": HTTP " + std::to_string(reply.status);
  if (reply.body.is_object()) {
    std::string code = reply.body.value("errorCode", reply.body.value("code", std::string()));
    std::string error = reply.body.value("error", std::string());
    if (!code.empty()) text += " " + code;
    if (!error.empty()) text += ": " + error;
  }
  return {reply.status >= 500 ? ErrorCode::kInternal : ErrorCode::kFailedPrecondition, text};
}

// The string field `name` of a 200 reply, or an error naming the step.
Result<std::string> string_field(std::string_view step, const JsonReply& reply, const char* name) {
  if (reply.status != 200) return step_error(step, reply);
  if (!reply.body.is_object() || !reply.body.contains(name) || !reply.body[name].is_string()) {
    return malformed(std::string(step) + ": HTTP 200 without a string '" + name + "'");
  }
  return reply.body[name].get<std::string>();
}

Result<PublishOutcome> publish_outcome(std::string_view step, JsonReply reply) {
  if (reply.status != 200 || !reply.body.is_object()) return step_error(step, reply);
  PublishOutcome out;
  out.inserted = reply.body.value("insertedExposures", int64_t{0});
  out.revision_token = reply.body.value("revisionToken", std::string());
  out.code = reply.body.value("code", std::string());
  if (reply.body.contains("warnings") && reply.body["warnings"].is_array()) {
    for (const auto& w : reply.body["warnings"]) {
      if (w.is_string()) out.warnings.push_back(w.get<std::string>());
    }
  }
  out.reply = std::move(reply);
  return out;
}

Result<httplib::Result> get_ok(httplib::Client& client, const std::string& path) {
  auto r = client.Get(path);
  if (!r) return Status(ErrorCode::kIoError, "GET " + path + ": no reply from the server");
  if (r->status != 200) {
    return Status(ErrorCode::kNotFound, "GET " + path + ": HTTP " + std::to_string(r->status));
  }
  return r;
}

}  // namespace

JsonReply post_json(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                    const httplib::Headers& headers) {
  return to_reply(client.Post(path, headers, body.dump(), "application/json"));
}

JsonReply put_json(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                   const httplib::Headers& headers) {
  return to_reply(client.Put(path, headers, body.dump(), "application/json"));
}

std::string random_padding(size_t min_bytes, size_t range_bytes) {
  size_t extra = 0;
  if (range_bytes > 0) {
    uint32_t r = 0;
    crypto::random_bytes(MutableByteView(reinterpret_cast<uint8_t*>(&r), sizeof r));
    extra = r % range_bytes;
  }
  Bytes pad(min_bytes + extra);
  crypto::random_bytes(pad);
  return to_base64(pad);
}

nlohmann::json publish_keys_json(std::span<const UploadKey> keys) {
  nlohmann::json out = nlohmann::json::array();
  for (const UploadKey& k : keys) {
    out.push_back({{"key", to_base64(k.key)},
                   {"rollingStartNumber", k.start},
                   {"rollingPeriod", k.period},
                   {"transmissionRisk", k.transmission_risk}});
  }
  return out;
}

std::string ekeyhmac(std::span<const UploadKey> keys, ByteView secret) {
  std::vector<std::string> segments;
  segments.reserve(keys.size());
  for (const UploadKey& k : keys) {
    segments.push_back(to_base64(k.key) + "." + std::to_string(k.start) + "." + std::to_string(k.period) + "." +
                       std::to_string(k.transmission_risk));
  }
  std::sort(segments.begin(), segments.end());  // the key text leads each segment
  std::string message;
  for (size_t i = 0; i < segments.size(); ++i) message += (i ? "," : "") + segments[i];
  auto mac = crypto::hmac_sha256(secret, as_bytes(message));
  return to_base64(mac);
}

Result<std::string> issue_code(httplib::Client& client, const std::string& api_key, const IssueRequest& request) {
  nlohmann::json body = {{"testType", request.test_type}};
  if (!request.symptom_date.empty()) body["symptomDate"] = request.symptom_date;
  if (!request.test_date.empty()) body["testDate"] = request.test_date;
  return string_field("issue", post_json(client, "/api/issue", body, {{"X-API-Key", api_key}}), "code");
}

Result<std::string> verify_code(httplib::Client& client, const std::string& code) {
  return string_field("verify", post_json(client, "/api/verify", {{"code", code}, {"padding", random_padding(100, 100)}}),
                      "token");
}

Result<std::string> request_certificate(httplib::Client& client, const std::string& token,
                                        const std::string& ekeyhmac_text) {
  return string_field("certificate",
                      post_json(client, "/api/certificate", {{"token", token}, {"ekeyhmac", ekeyhmac_text}}),
                      "certificate");
}

nlohmann::json publish_body(std::span<const UploadKey> keys, const std::string& certificate, ByteView secret,
                            const std::string& app_id, const std::string& revision_token) {
  nlohmann::json body = {{"temporaryExposureKeys", publish_keys_json(keys)},
                         {"healthAuthorityID", app_id},
                         {"verificationPayload", certificate},
                         {"hmacKey", to_base64(secret)},
                         {"padding", random_padding(1024, 1024)}};
  if (!revision_token.empty()) body["revisionToken"] = revision_token;
  return body;
}

Result<PublishOutcome> publish(httplib::Client& client, const nlohmann::json& body) {
  return publish_outcome("publish", post_json(client, "/v1/publish", body));
}

Result<CertifiedKeys> certify_keys(httplib::Client& client, const std::string& api_key,
                                   std::span<const UploadKey> keys, const IssueRequest& issue) {
  auto code = issue_code(client, api_key, issue);
  if (!code.ok()) return code.status();
  auto token = verify_code(client, *code);
  if (!token.ok()) return token.status();
  CertifiedKeys out;
  out.hmac_secret.resize(32);
  crypto::random_bytes(out.hmac_secret);
  auto certificate = request_certificate(client, *token, ekeyhmac(keys, out.hmac_secret));
  if (!certificate.ok()) return certificate.status();
  out.certificate = std::move(*certificate);
  return out;
}

Result<PublishOutcome> google_upload(httplib::Client& client, const std::string& api_key,
                                     std::span<const UploadKey> keys, const GoogleUploadOptions& options) {
  auto certified = certify_keys(client, api_key, keys, options.issue);
  if (!certified.ok()) return certified.status();
  return publish(client,
                 publish_body(keys, certified->certificate, certified->hmac_secret, options.app_id, options.revision_token));
}

nlohmann::json cocoa_body(std::span<const UploadKey> keys, const std::string& processing_number,
                          const CocoaUploadOptions& options) {
  nlohmann::json list = nlohmann::json::array();
  for (const UploadKey& k : keys) {
    list.push_back({{"keyData", to_base64(k.key)},
                    {"rollingStartNumber", k.start},
                    {"rollingPeriod", k.period},
                    {"transmissionRisk", k.transmission_risk},
                    {"reportType", 1}});
  }
  nlohmann::json body = {{"keys", list},
                         {"regions", options.regions},
                         {"platform", options.platform},
                         {"deviceVerificationPayload", "device-check-token"},
                         {"appPackageName", options.app_id},
                         {"verificationPayload", processing_number},
                         {"padding", random_padding(500, 500)}};
  if (!options.idempotency_key.empty()) body["idempotencyKey"] = options.idempotency_key;
  if (!options.onset_of_symptom_or_test_date.empty()) {
    body["onsetOfSymptomOrTestDate"] = options.onset_of_symptom_or_test_date;
  }
  return body;
}

Result<PublishOutcome> cocoa_upload(httplib::Client& client, std::span<const UploadKey> keys,
                                    const std::string& processing_number, const CocoaUploadOptions& options) {
  return publish_outcome("cocoa upload",
                         put_json(client, "/api/v3/diagnosis", cocoa_body(keys, processing_number, options)));
}

Result<keyfile::VerificationKey> parse_public_key_line(std::string_view line) {
  size_t comma = line.find(',');
  if (comma == std::string_view::npos) {
    return invalid_argument("public key line: expected 'ID-VERSION,BASE64'");
  }
  std::string_view key = line.substr(comma + 1);
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.remove_suffix(1);
  return keyfile::make_verification_key(line.substr(0, comma), as_bytes(key));
}

Result<ExportDownload> download_exports(httplib::Client& client, const std::string& region,
                                        std::span<const keyfile::CosignSet> cosign_sets,
                                        const std::set<std::string>& skip) {
  ExportDownload out;
  auto index = get_ok(client, "/exports/" + region + "/index.txt");
  if (!index.ok()) return index.status();
  out.bytes_downloaded += (*index)->body.size();
  std::istringstream lines((*index)->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || skip.count(line)) continue;
    auto file = get_ok(client, "/exports/" + line);
    if (!file.ok()) return file.status();
    const std::string& body = (*file)->body;
    out.bytes_downloaded += body.size();
    ByteView data(reinterpret_cast<const uint8_t*>(body.data()), body.size());
    Status verified = keyfile::verify_export_bytes(data, cosign_sets);
    if (!verified.ok()) return Status(verified.code(), line + ": " + verified.message());
    auto contents = keyfile::read_export_bytes(data);
    if (!contents.ok()) return Status(contents.status().code(), line + ": " + contents.status().message());
    out.files.push_back(DownloadedFile{line, std::move(*contents)});
  }
  return out;
}

}  // namespace exposure::app_client
