// The upload exchange: Google flow (verify -> certificate -> publish) or COCOA flow (one PUT).
#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/messages.h"
#include "exposure/app.h"
#include "exposure/crypto.h"
#include "exposure/interval.h"
#include "exposure/secure.h"
#include "exposure/tekmac.h"

namespace exposure::app {

using nlohmann::json;
using namespace app_internal;

namespace {

constexpr size_t kMaxUploadKeys = 30;

enum class Step { kVerify, kCertificate, kPublish, kCocoa, kDone };

}  // namespace

struct Upload::State {
  UploadOptions options;
  std::vector<TemporaryExposureKey> keys;
  SecretArray<32> hmac_secret;
  UploadState stored;  // what the store held when the upload started
  Step step = Step::kVerify;
  std::string token;
  std::string certificate;
  std::optional<HttpRequest> pending;
  int64_t now = 0;

  std::vector<TekmacKey> tekmac_keys() const {
    std::vector<TekmacKey> out;
    for (const TemporaryExposureKey& k : keys) {
      out.push_back({to_base64(k.key_data.view()), k.rolling_start_interval_number, k.rolling_period,
                     options.transmission_risk});
    }
    return out;
  }
};

Result<UploadState> load_upload_state(Store& store) {
  Bytes bytes;
  EXPOSURE_RETURN_IF_ERROR(store.load_app_state(AppStateSlot::kUpload, &bytes));
  UploadState state;
  Status decoded = bytes.empty() ? Status::Ok() : decode_upload_state(bytes, &state);
  secure_wipe(bytes.data(), bytes.size());
  if (!decoded.ok()) return decoded;
  return state;
}

Result<std::unique_ptr<Upload>> Upload::start(Store& store, std::span<const TemporaryExposureKey> keys,
                                              const UploadOptions& options) {
  if (keys.empty()) return invalid_argument("upload: no key to upload");
  if (keys.size() > kMaxUploadKeys) {
    return invalid_argument("upload: " + std::to_string(keys.size()) + " keys, at most 30 per upload");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].rolling_period < 1 || keys[i].rolling_period > kTekRollingPeriod) {
      return invalid_argument("upload: key " + std::to_string(i) + ": rolling_period " +
                              std::to_string(keys[i].rolling_period) + " out of range 1..144");
    }
  }
  if (options.code.empty()) return invalid_argument("upload: no verification code");
  if (options.transmission_risk < 0 || options.transmission_risk > 8) {
    return invalid_argument("upload: transmission_risk " + std::to_string(options.transmission_risk) +
                            " out of range 0..8");
  }
  if (options.flow == UploadFlow::kCocoa && options.regions.empty()) {
    return invalid_argument("upload: the COCOA flow needs at least one region");
  }
  auto stored = load_upload_state(store);
  if (!stored.ok()) return stored.status();
  auto state = std::make_unique<State>();
  state->options = options;
  state->keys.assign(keys.begin(), keys.end());
  crypto::random_bytes(MutableByteView(state->hmac_secret.data(), state->hmac_secret.size()));
  state->stored = std::move(*stored);
  state->step = options.flow == UploadFlow::kGoogle ? Step::kVerify : Step::kCocoa;
  state->now = options.now != 0 ? options.now : SystemClock().now_unix_seconds();
  return std::unique_ptr<Upload>(new Upload(store, std::move(state)));
}

Upload::Upload(Store& store, std::unique_ptr<State> state) : store_(store), state_(std::move(state)) {}
Upload::~Upload() = default;

const HttpRequest* Upload::next_request() {
  State& s = *state_;
  if (finished()) return nullptr;
  const UploadOptions& o = s.options;
  switch (s.step) {
    case Step::kVerify:
      s.pending = json_request("POST", o.verify_path, padded_body({{"code", o.code}}, kVerifyBodyBytes));
      break;
    case Step::kCertificate: {
      const auto tekmac = compute_tekmac(s.tekmac_keys(), s.hmac_secret.view(), true);
      s.pending = json_request("POST", o.certificate_path,
                               padded_body({{"token", s.token}, {"ekeyhmac", to_base64(tekmac)}}, kCertificateBodyBytes));
      break;
    }
    case Step::kPublish: {
      json keys = json::array();
      for (const TekmacKey& k : s.tekmac_keys()) {
        keys.push_back({{"key", k.key},
                        {"rollingStartNumber", k.rolling_start_number},
                        {"rollingPeriod", k.rolling_period},
                        {"transmissionRisk", k.transmission_risk}});
      }
      json body = {{"temporaryExposureKeys", std::move(keys)},
                   {"healthAuthorityID", o.app_id},
                   {"verificationPayload", s.certificate},
                   {"hmacKey", to_base64(s.hmac_secret.view())}};
      if (!s.stored.revision_token.empty()) body["revisionToken"] = s.stored.revision_token;
      s.pending = json_request("POST", o.publish_path, padded_body(std::move(body), kPublishBodyBytes));
      break;
    }
    case Step::kCocoa: {
      json keys = json::array();
      for (const TekmacKey& k : s.tekmac_keys()) {
        keys.push_back({{"keyData", k.key},
                        {"rollingStartNumber", k.rolling_start_number},
                        {"rollingPeriod", k.rolling_period},
                        {"transmissionRisk", k.transmission_risk},
                        {"reportType", 1}});
      }
      Bytes idempotency(16);
      crypto::random_bytes(idempotency);
      json body = {{"keys", std::move(keys)},
                   {"regions", o.regions},
                   {"platform", o.platform},
                   {"deviceVerificationPayload", "device-check-token"},
                   {"appPackageName", o.app_id},
                   {"verificationPayload", o.code},
                   {"idempotencyKey", to_hex(idempotency)}};
      if (!o.onset_date.empty()) body["onsetOfSymptomOrTestDate"] = o.onset_date;
      s.pending = json_request("PUT", o.cocoa_path, padded_body(std::move(body), kCocoaBodyBytes));
      break;
    }
    case Step::kDone:
      return nullptr;
  }
  return &*s.pending;
}

Status Upload::receive(const HttpResponse& response) {
  State& s = *state_;
  if (finished()) return {ErrorCode::kFailedPrecondition, "upload: the exchange has already ended"};
  if (!s.pending) return {ErrorCode::kFailedPrecondition, "upload: receive() before next_request()"};
  s.pending.reset();
  static constexpr const char* kStepNames[] = {"verify", "certificate", "publish", "cocoa upload", "done"};
  const char* step = kStepNames[static_cast<int>(s.step)];
  ServerError server_error;
  Status http = reply_status(step, response, &server_error);
  if (!http.ok()) {
    set_server_error(server_error);
    return finish(http);
  }
  auto body = json_object(step, response);
  if (!body.ok()) return finish(body.status());
  switch (s.step) {
    case Step::kVerify: {
      auto token = string_member(step, *body, "token");
      if (!token.ok()) return finish(token.status());
      s.token = std::move(*token);
      outcome_.test_type = body->value("testtype", std::string());
      s.step = Step::kCertificate;
      return Status::Ok();
    }
    case Step::kCertificate: {
      auto certificate = string_member(step, *body, "certificate");
      if (!certificate.ok()) return finish(certificate.status());
      s.certificate = std::move(*certificate);
      s.step = Step::kPublish;
      return Status::Ok();
    }
    case Step::kPublish:
    case Step::kCocoa: {
      auto inserted = body->find("insertedExposures");
      if (inserted == body->end() || !inserted->is_number_integer()) {
        return finish(malformed(std::string(step) + ": reply without an integer 'insertedExposures'"));
      }
      outcome_.keys_inserted = inserted->get<int64_t>();
      outcome_.keys_sent = s.keys.size();
      outcome_.revision_token = body->value("revisionToken", std::string());
      outcome_.revised = s.step == Step::kPublish && !s.stored.revision_token.empty();
      if (auto w = body->find("warnings"); w != body->end() && w->is_array()) {
        for (const json& text : *w) {
          if (text.is_string()) outcome_.warnings.push_back(text.get<std::string>());
        }
      }
      UploadState next = s.stored;
      if (!outcome_.revision_token.empty()) next.revision_token = outcome_.revision_token;
      next.uploads.push_back(UploadHistoryEntry{s.now, s.step == Step::kPublish ? "google" : "cocoa",
                                                outcome_.test_type, s.keys});
      s.step = Step::kDone;
      SecretText record = encode_upload_state(next);
      const AppStateRecord records[] = {{AppStateSlot::kUpload, record.bytes()}};
      Status saved = store_.save_app_state(records);
      if (!saved.ok()) {
        return finish(Status(saved.code(), "upload: the server accepted the keys, but saving the upload failed: " +
                                               saved.message()));
      }
      return finish(Status::Ok());
    }
    case Step::kDone:
      break;
  }
  return finish({ErrorCode::kInternal, "upload: unexpected step"});
}

}  // namespace exposure::app
