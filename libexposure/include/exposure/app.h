// The app's side of the protocol, without I/O (docs/app-sdk.md).
//
// A phone app owns its transport (OkHttp, URLSession, requests, cpp-httplib). The library
// builds every request and reads every reply: an app runs an Exchange by sending the request
// next_request() gives, handing the reply to receive(), and repeating until next_request()
// gives none:
//
//     auto upload = app::Upload::start(store, keys, options);      // or ExposureCheck::start
//     while (const app::HttpRequest* request = (*upload)->next_request()) {
//       app::HttpResponse response = my_http(*request);             // status 0 when no reply
//       if (!(*upload)->receive(response).ok()) break;
//     }
//     (*upload)->status();   // ok, or the one-line error that ended it
//
// Two exchanges exist:
//  * Upload: after a positive test, the keys go to the key server, by the Google flow
//    (code -> /api/verify -> token; token + HMAC of the keys -> /api/certificate ->
//    certificate; keys + certificate + HMAC key -> /v1/publish) or the COCOA flow (PUT
//    /api/v3/diagnosis with the processing number). The revision token and what was uploaded
//    are saved in the store when the server accepts the keys, so a later upload (likely ->
//    confirmed) sends the token back.
//  * ExposureCheck: GET the region's index, GET each archive not processed before, verify and
//    read each in one pass, match against the store's sightings (with the keys matched by
//    earlier checks), build Exposure Windows, score, decide (exposure/decision.h). The new
//    check state (archives processed, keys matched, days notified) is saved in one store
//    transaction at the end, so a check that fails part-way leaves the state as it was and the
//    next one resumes; a day is never notified twice.
//
// Errors: every failure is a Status with one line naming the step. kRejected: the server
// refused (4xx; server_error() has its code, e.g. "token_expired"); kUnavailable: no reply,
// HTTP 429 or 5xx (retry later); kMalformed: a reply that does not follow the API, or an index
// or archive that does not parse; kVerificationFailed: an archive whose signature does not
// verify. docs/app-sdk.md says what an app should do about each.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/decision.h"
#include "exposure/keyfile_verify.h"
#include "exposure/keys.h"
#include "exposure/risk.h"
#include "exposure/risk_config.h"
#include "exposure/status.h"
#include "exposure/store.h"

namespace exposure::app {

// ---- HTTP messages --------------------------------------------------------------------------

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method;  // "GET", "POST" or "PUT"
  // The request target: a path beginning with '/' on the server the exchange is for, or an
  // absolute http(s) URL (list.json names archives by URL).
  std::string path;
  std::vector<HttpHeader> headers;  // Content-Type for bodies, X-Chaff for chaff
  std::string body;                 // JSON for POST and PUT, empty for GET
};

struct HttpResponse {
  int status = 0;    // HTTP status; 0 when no reply came (network failure, timeout)
  std::string body;  // the body as received (archives are binary)
};

// What a server said when it refused a request: {"errorCode"|"code", "error"} of its reply.
struct ServerError {
  int http_status = 0;
  std::string code;     // e.g. "code_invalid", "token_expired"; empty when the body had none
  std::string message;  // the server's "error" text
};

// One protocol run (see the top of this file). Not thread-safe.
class Exchange {
 public:
  virtual ~Exchange() = default;
  // The request to send now, or nullptr when the exchange has ended (status() tells how). The
  // pointer stays valid until the next call on the exchange.
  virtual const HttpRequest* next_request() = 0;
  // The reply to the request next_request() gave. A non-ok Status ends the exchange with it.
  virtual Status receive(const HttpResponse& response) = 0;

  // True once the exchange has ended, successfully or not.
  bool finished() const { return finished_; }
  // Ok while running and after success; the error that ended it otherwise.
  const Status& status() const { return status_; }
  // The server's error when the exchange ended with a refusal (kRejected / kUnavailable).
  const std::optional<ServerError>& server_error() const { return server_error_; }

 protected:
  // Ends the exchange with `status` (ok: success) and returns it.
  Status finish(Status status);
  void set_server_error(ServerError error) { server_error_ = std::move(error); }

 private:
  bool finished_ = false;
  Status status_;
  std::optional<ServerError> server_error_;
};

// ---- Uploading keys after a positive test -------------------------------------------------

enum class UploadFlow { kGoogle, kCocoa };

struct UploadOptions {
  UploadFlow flow = UploadFlow::kGoogle;
  // The verification code the health authority gave (Google), or the COCOA processing number.
  std::string code;
  // healthAuthorityID (Google) / appPackageName (COCOA).
  std::string app_id = "com.example.app";
  // COCOA: the regions the keys are for (e.g. {"440"}); platform reported to the server.
  std::vector<std::string> regions;
  std::string platform = "android";
  // COCOA: onsetOfSymptomOrTestDate (RFC 3339, e.g. "2026-11-28T00:00:00Z"); empty: none.
  std::string onset_date;
  // Transmission risk level sent with every key (0..8); 0 lets the server set it from the
  // report type.
  int transmission_risk = 0;
  // Paths of the endpoints on the server.
  std::string verify_path = "/api/verify";
  std::string certificate_path = "/api/certificate";
  std::string publish_path = "/v1/publish";
  std::string cocoa_path = "/api/v3/diagnosis";
  // Unix seconds recorded with the upload; 0: the system clock.
  int64_t now = 0;
};

struct UploadOutcome {
  int64_t keys_inserted = 0;        // insertedExposures
  size_t keys_sent = 0;
  std::string test_type;            // from /api/verify (Google): "confirmed", "likely", ...
  std::string revision_token;       // empty when the server sent none
  bool revised = false;             // a revision token of an earlier upload was sent
  std::vector<std::string> warnings;
};

// What the store keeps of uploads (AppStateSlot::kUpload).
struct UploadHistoryEntry {
  int64_t time = 0;
  std::string flow;       // "google" or "cocoa"
  std::string test_type;  // empty for COCOA
  std::vector<TemporaryExposureKey> keys;
};
struct UploadState {
  std::string revision_token;  // the newest one the server gave
  std::vector<UploadHistoryEntry> uploads;
};
// The upload state kept in `store` (empty when the phone never uploaded).
Result<UploadState> load_upload_state(Store& store);

class Upload final : public Exchange {
 public:
  // Starts an upload of `keys` (KeySchedule::keys_for_upload(), after release_current_key()
  // for same-day release). kInvalidArgument when there is no key, more than 30, a period
  // outside 1..144, no code, or a transmission risk outside 0..8. `store` must outlive the
  // exchange; it is written once, when the server accepts the keys.
  static Result<std::unique_ptr<Upload>> start(Store& store, std::span<const TemporaryExposureKey> keys,
                                               const UploadOptions& options);
  ~Upload() override;

  const HttpRequest* next_request() override;
  Status receive(const HttpResponse& response) override;

  // Valid once finished() with an ok status().
  const UploadOutcome& outcome() const { return outcome_; }

  struct State;  // defined inside the library

 private:
  Upload(Store& store, std::unique_ptr<State> state);
  Store& store_;
  std::unique_ptr<State> state_;
  UploadOutcome outcome_;
};

// ---- The upload requests and replies themselves ---------------------------------------------
// What the Upload exchange sends and reads, for tools and tests that drive one step alone.

// A key as it is sent (transmission_risk 0: the server decides).
struct UploadKey {
  KeyData key{};
  uint32_t start = 0;  // rollingStartNumber
  uint32_t period = kTekRollingPeriod;
  int32_t transmission_risk = 0;
};
std::vector<UploadKey> upload_keys(std::span<const TemporaryExposureKey> keys, int32_t transmission_risk);

// ekeyhmac / tekmac of `keys` under `secret`, base64 (exposure/tekmac.h).
std::string ekeyhmac(std::span<const UploadKey> keys, ByteView secret);

// POST options.verify_path {"code"} (padded).
HttpRequest verify_request(std::string_view code, const UploadOptions& options = {});
// POST options.certificate_path {"token", "ekeyhmac"} (padded).
HttpRequest certificate_request(std::string_view token, std::string_view ekeyhmac,
                                const UploadOptions& options = {});
// POST options.publish_path {temporaryExposureKeys, healthAuthorityID = options.app_id,
// verificationPayload, hmacKey, revisionToken (when not empty)} (padded).
HttpRequest publish_request(std::span<const UploadKey> keys, std::string_view certificate, ByteView hmac_secret,
                            std::string_view revision_token, const UploadOptions& options = {});
// PUT options.cocoa_path {keys (reportType 1), regions, platform, deviceVerificationPayload,
// appPackageName, verificationPayload = options.code, idempotencyKey, onsetOfSymptomOrTestDate}
// (padded).
HttpRequest cocoa_request(std::span<const UploadKey> keys, const UploadOptions& options);

struct VerifyReply {
  std::string token;
  std::string test_type;  // "testtype"
};
struct PublishReply {
  int64_t inserted = 0;         // insertedExposures
  std::string revision_token;   // empty when none
  std::vector<std::string> warnings;
  std::string code;             // "partial_failure" when some keys were dropped, else empty
};
// Each reads a reply to its request: the errors of the top of this file, and `*server_error`
// (when not null) filled for a refusal.
Result<VerifyReply> parse_verify_reply(const HttpResponse& response, ServerError* server_error = nullptr);
Result<std::string> parse_certificate_reply(const HttpResponse& response, ServerError* server_error = nullptr);
// `step` names the request in messages ("publish", "cocoa upload").
Result<PublishReply> parse_publish_reply(std::string_view step, const HttpResponse& response,
                                         ServerError* server_error = nullptr);

// ---- The exposure check ----------------------------------------------------------------------

enum class IndexFormat { kIndexTxt, kListJson };

struct CheckOptions {
  std::string region = "JP";
  // Where the export tree is on the server: the index is <export_path>/<region>/index.txt (or
  // list.json) and index.txt lines are relative to <export_path>.
  std::string export_path = "/exports";
  IndexFormat index_format = IndexFormat::kIndexTxt;
  // Public keys of the export signer: each archive must verify against one set.
  std::vector<keyfile::CosignSet> cosign_sets;
  RiskConfig config;
  const PlatformProfile* profile = nullptr;  // nullptr: Android's
  int64_t now = 0;                           // unix seconds; 0: the system clock
  unsigned threads = 1;                      // matching worker threads
};

struct CheckOutcome {
  Decision decision;
  std::vector<std::string> archives_processed;  // new this check, in index order
  uint64_t archives_in_index = 0;
  uint64_t bytes_downloaded = 0;                // index and archives
  uint64_t keys_processed = 0;                  // keys read from the new archives
  uint64_t sightings = 0;
  // Every key matching now (earlier and new), and their windows. Empty when no archive was
  // new: then nothing is matched, scored or written, and the decision does not notify.
  std::vector<KeyMatch> matches;
  std::vector<ExposureWindow> windows;
  int64_t now = 0;
};

// What the store keeps of exposure checks (AppStateSlot::kCheck).
struct CheckState {
  std::string region;
  std::set<std::string> processed_archives;  // index names already matched
  std::vector<DiagnosisKey> matched_keys;    // keys that matched some sighting
  std::set<int64_t> notified_days;           // UTC days already notified
  int64_t last_check = 0;
};
Result<CheckState> load_check_state(Store& store);

class ExposureCheck final : public Exchange {
 public:
  // Starts a check. kInvalidArgument for an empty region, no cosign set, or a configuration
  // with neither v1 nor v2 fields. `store` must outlive the exchange.
  static Result<std::unique_ptr<ExposureCheck>> start(Store& store, CheckOptions options);
  ~ExposureCheck() override;

  const HttpRequest* next_request() override;
  Status receive(const HttpResponse& response) override;

  // Valid once finished() with an ok status().
  const CheckOutcome& outcome() const { return outcome_; }

  struct State;  // defined inside the library

 private:
  ExposureCheck(Store& store, std::unique_ptr<State> state);
  Status complete();
  Store& store_;
  std::unique_ptr<State> state_;
  CheckOutcome outcome_;
};

// ---- Chaff ------------------------------------------------------------------------------------

enum class ChaffRoute { kVerify, kCertificate, kPublish, kCocoa };

// A chaff request for `route`: the real request's method, path and headers plus X-Chaff: 1,
// and a body of the size real requests of that route are padded to (docs/app-sdk.md), so an
// observer of the traffic cannot tell it from a real upload. The server answers it without
// acting on it; the app ignores the reply. When and how often to send chaff is the app's
// choice (e.g. a few times a day at random times).
HttpRequest chaff_request(ChaffRoute route, const UploadOptions& options = {});

}  // namespace exposure::app
