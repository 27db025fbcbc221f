// The C++ transport of the app module: sends the requests of exposure/app.h over cpp-httplib
// (run() drives a whole Upload or ExposureCheck exchange), plus what a health-authority portal
// and the tests do over HTTP against exposure-server: issue a code, verify it, get a
// certificate bound to the keys, publish them (Google form) or upload them the COCOA way, and
// download, verify and read the published export files. The requests and their parsing are
// the app module's (one home for the wire format); this file only carries them.
//
// Every step returns a Result; an error is one line naming the step and what the server
// answered ("certificate: HTTP 401 token_expired: ..."). No function asserts or throws.
// Functions take an httplib::Client the caller owns (one per thread: httplib clients are
// not shared between threads).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "exposure/app.h"
#include "exposure/bytes.h"
#include "exposure/keyfile.h"
#include "exposure/keys.h"
#include "exposure/status.h"

namespace exposure::app_client {

using app::UploadKey;

// Sends one request of the app module and returns the reply (status 0 when none came). An
// absolute URL in request.path is fetched from its own host (http only); a path goes to
// `client`.
app::HttpResponse send(httplib::Client& client, const app::HttpRequest& request);

// Runs an exchange to its end over `client`, calling `progress` after each reply with the
// number of requests answered so far; returns the exchange's status.
Status run(httplib::Client& client, app::Exchange& exchange,
           const std::function<void(uint64_t requests)>& progress = {});

// A reply: HTTP status (0 when the request failed in transport), parsed JSON body (null when
// the body is not JSON) and the raw body.
struct JsonReply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};

// POST / PUT a JSON body (Content-Type application/json). Never fails: a transport error
// gives status 0.
JsonReply post_json(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                    const httplib::Headers& headers = {});
JsonReply put_json(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                   const httplib::Headers& headers = {});

// Standard base64 of min_bytes + rand[0, range_bytes) random bytes (request padding).
std::string random_padding(size_t min_bytes, size_t range_bytes);

// The temporaryExposureKeys array of a publish request.
nlohmann::json publish_keys_json(std::span<const UploadKey> keys);

// ekeyhmac / tekmac as an app computes it (Google's server API): base64 HMAC-SHA256 under
// `secret` of the keys' "<base64 key>.<start>.<period>.<risk>" segments sorted by their
// text and joined with ",".
std::string ekeyhmac(std::span<const UploadKey> keys, ByteView secret);

// ---- the health authority -------------------------------------------------------------------

struct IssueRequest {
  std::string test_type = "confirmed";  // confirmed, likely, negative, user-report
  std::string symptom_date;             // YYYY-MM-DD, optional
  std::string test_date;                // YYYY-MM-DD, optional
};
// POST /api/issue with the authority's API key; the verification code.
Result<std::string> issue_code(httplib::Client& client, const std::string& api_key, const IssueRequest& request);

// ---- the app: Google flow ---------------------------------------------------------------------

// POST /api/verify; the token.
Result<std::string> verify_code(httplib::Client& client, const std::string& code);
// POST /api/certificate; the certificate (JWT).
Result<std::string> request_certificate(httplib::Client& client, const std::string& token,
                                        const std::string& ekeyhmac);

// The /v1/publish body for keys, a certificate and the HMAC secret the certificate used.
nlohmann::json publish_body(std::span<const UploadKey> keys, const std::string& certificate, ByteView secret,
                            const std::string& app_id, const std::string& revision_token = "");

struct PublishOutcome {
  int64_t inserted = 0;            // insertedExposures
  std::string revision_token;      // empty when the server sent none
  std::vector<std::string> warnings;
  std::string code;                // "partial_failure" when keys were dropped, else empty
  JsonReply reply;                 // the whole reply
};

// POST /v1/publish of `body`; an error unless the status is 200.
Result<PublishOutcome> publish(httplib::Client& client, const nlohmann::json& body);

// A certificate bound to some keys, and the HMAC secret it was computed with.
struct CertifiedKeys {
  std::string certificate;
  Bytes hmac_secret;
};
// issue (with `api_key`) -> verify -> certificate, with ekeyhmac of `keys` under a fresh
// random 32-byte secret.
Result<CertifiedKeys> certify_keys(httplib::Client& client, const std::string& api_key,
                                   std::span<const UploadKey> keys, const IssueRequest& issue);

struct GoogleUploadOptions {
  std::string app_id = "com.example.app";
  IssueRequest issue;
  std::string revision_token;
};
// The whole Google flow: certify_keys -> publish.
Result<PublishOutcome> google_upload(httplib::Client& client, const std::string& api_key,
                                     std::span<const UploadKey> keys, const GoogleUploadOptions& options);

// ---- the app: COCOA flow ----------------------------------------------------------------------

struct CocoaUploadOptions {
  std::string app_id = "com.example.app";
  std::vector<std::string> regions;
  std::string idempotency_key;               // empty: none sent
  std::string onset_of_symptom_or_test_date;  // RFC 3339, empty: none sent
  std::string platform = "Android";
};
// A PUT /api/v3/diagnosis body (keys with reportType 1).
nlohmann::json cocoa_body(std::span<const UploadKey> keys, const std::string& processing_number,
                          const CocoaUploadOptions& options);
// PUT /api/v3/diagnosis with the verification code as processing number.
Result<PublishOutcome> cocoa_upload(httplib::Client& client, std::span<const UploadKey> keys,
                                    const std::string& processing_number, const CocoaUploadOptions& options);

// ---- downloading the export files -------------------------------------------------------------

// Parses a public key line as `exposure-server signing-key add` prints it: "ID-VERSION,BASE64".
Result<keyfile::VerificationKey> parse_public_key_line(std::string_view line);

struct DownloadedFile {
  std::string name;  // the index line, e.g. "JP/1773100800-1773104400-00001.zip"
  keyfile::ExportContents contents;
};

struct ExportDownload {
  std::vector<DownloadedFile> files;   // in index order; names in `skip` left out
  uint64_t bytes_downloaded = 0;       // index.txt plus every file fetched
};

// GETs /exports/<region>/index.txt, then every listed file not in `skip` (names as in the
// index), verifies each against `cosign_sets` and reads it. Fails on the first file that is
// missing, does not verify or does not parse, naming it.
Result<ExportDownload> download_exports(httplib::Client& client, const std::string& region,
                                        std::span<const keyfile::CosignSet> cosign_sets,
                                        const std::set<std::string>& skip = {});

}  // namespace exposure::app_client
