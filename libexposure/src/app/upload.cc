// The upload exchange: Google flow (verify -> certificate -> publish) or COCOA flow (one PUT).
#include "app/app_state.h"
#include "app/messages.h"
#include "exposure/app.h"
#include "exposure/crypto.h"
#include "exposure/interval.h"
#include "exposure/secure.h"

namespace exposure::app {

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
};

Result<UploadState> load_upload_state(Store& store) {
  return load_state(store, AppStateSlot::kUpload, decode_upload_state);
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
Upload::~Upload() {
  if (state_ && state_->pending) secure_wipe(state_->pending->body.data(), state_->pending->body.size());
}

const HttpRequest* Upload::next_request() {
  State& s = *state_;
  if (finished()) return nullptr;
  const UploadOptions& o = s.options;
  const std::vector<UploadKey> keys = upload_keys(s.keys, o.transmission_risk);
  switch (s.step) {
    case Step::kVerify:
      s.pending = verify_request(o.code, o);
      break;
    case Step::kCertificate:
      s.pending = certificate_request(s.token, ekeyhmac(keys, s.hmac_secret.view()), o);
      break;
    case Step::kPublish:
      s.pending = publish_request(keys, s.certificate, s.hmac_secret.view(), s.stored.revision_token, o);
      break;
    case Step::kCocoa:
      s.pending = cocoa_request(keys, o);
      break;
    case Step::kDone:
      return nullptr;
  }
  return &*s.pending;
}

Status Upload::receive(const HttpResponse& response) {
  State& s = *state_;
  if (finished()) return {ErrorCode::kFailedPrecondition, "upload: the exchange has already ended"};
  if (!s.pending) return {ErrorCode::kFailedPrecondition, "upload: receive() before next_request()"};
  secure_wipe(s.pending->body.data(), s.pending->body.size());  // keys and the HMAC secret
  s.pending.reset();
  ServerError server_error;
  auto failed = [&](const Status& status) {
    if (server_error.http_status != 0) set_server_error(server_error);
    return finish(status);
  };
  switch (s.step) {
    case Step::kVerify: {
      auto reply = parse_verify_reply(response, &server_error);
      if (!reply.ok()) return failed(reply.status());
      s.token = std::move(reply->token);
      outcome_.test_type = std::move(reply->test_type);
      s.step = Step::kCertificate;
      return Status::Ok();
    }
    case Step::kCertificate: {
      auto certificate = parse_certificate_reply(response, &server_error);
      if (!certificate.ok()) return failed(certificate.status());
      s.certificate = std::move(*certificate);
      s.step = Step::kPublish;
      return Status::Ok();
    }
    case Step::kPublish:
    case Step::kCocoa: {
      const bool google = s.step == Step::kPublish;
      auto reply = parse_publish_reply(google ? "publish" : "cocoa upload", response, &server_error);
      if (!reply.ok()) return failed(reply.status());
      outcome_.keys_inserted = reply->inserted;
      outcome_.keys_sent = s.keys.size();
      outcome_.revision_token = reply->revision_token;
      outcome_.revised = google && !s.stored.revision_token.empty();
      outcome_.warnings = reply->warnings;
      UploadState next = s.stored;
      if (!outcome_.revision_token.empty()) next.revision_token = outcome_.revision_token;
      next.uploads.push_back(UploadHistoryEntry{s.now, google ? "google" : "cocoa", outcome_.test_type, s.keys});
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
