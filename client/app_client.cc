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

app::HttpResponse to_response(const JsonReply& reply) { return {reply.status, reply.raw}; }

Result<PublishOutcome> publish_outcome(std::string_view step, JsonReply reply) {
  auto parsed = app::parse_publish_reply(step, to_response(reply));
  if (!parsed.ok()) return parsed.status();
  PublishOutcome out;
  out.inserted = parsed->inserted;
  out.revision_token = std::move(parsed->revision_token);
  out.code = std::move(parsed->code);
  out.warnings = std::move(parsed->warnings);
  out.reply = std::move(reply);
  return out;
}

httplib::Headers headers_of(const app::HttpRequest& request) {
  httplib::Headers headers;
  for (const app::HttpHeader& h : request.headers) {
    if (h.name != "Content-Type") headers.emplace(h.name, h.value);
  }
  return headers;
}

std::string content_type_of(const app::HttpRequest& request) {
  for (const app::HttpHeader& h : request.headers) {
    if (h.name == "Content-Type") return h.value;
  }
  return "application/json";
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

app::HttpResponse send(httplib::Client& client, const app::HttpRequest& request) {
  if (request.path.rfind("http://", 0) == 0 || request.path.rfind("https://", 0) == 0) {
    const size_t host_end = request.path.find('/', request.path.find("//") + 2);
    httplib::Client other(request.path.substr(0, host_end));
    other.set_connection_timeout(10);
    other.set_read_timeout(30);
    app::HttpRequest relative = request;
    relative.path = host_end == std::string::npos ? "/" : request.path.substr(host_end);
    return send(other, relative);
  }
  auto r = [&]() -> httplib::Result {
    if (request.method == "POST") return client.Post(request.path, headers_of(request), request.body, content_type_of(request));
    if (request.method == "PUT") return client.Put(request.path, headers_of(request), request.body, content_type_of(request));
    return client.Get(request.path, headers_of(request));
  }();
  if (!r) return {};
  return {r->status, r->body};
}

Status run(httplib::Client& client, app::Exchange& exchange, const std::function<void(uint64_t)>& progress) {
  uint64_t answered = 0;
  while (const app::HttpRequest* request = exchange.next_request()) {
    app::HttpResponse response = send(client, *request);
    Status status = exchange.receive(response);
    if (progress) progress(++answered);
    if (!status.ok()) break;
  }
  return exchange.status();
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
  return nlohmann::json::parse(app::publish_request(keys, "", {}, "").body)["temporaryExposureKeys"];
}

std::string ekeyhmac(std::span<const UploadKey> keys, ByteView secret) { return app::ekeyhmac(keys, secret); }

Result<std::string> issue_code(httplib::Client& client, const std::string& api_key, const IssueRequest& request) {
  nlohmann::json body = {{"testType", request.test_type}};
  if (!request.symptom_date.empty()) body["symptomDate"] = request.symptom_date;
  if (!request.test_date.empty()) body["testDate"] = request.test_date;
  return string_field("issue", post_json(client, "/api/issue", body, {{"X-API-Key", api_key}}), "code");
}

Result<std::string> verify_code(httplib::Client& client, const std::string& code) {
  auto reply = app::parse_verify_reply(send(client, app::verify_request(code)));
  if (!reply.ok()) return reply.status();
  return std::move(reply->token);
}

Result<std::string> request_certificate(httplib::Client& client, const std::string& token,
                                        const std::string& ekeyhmac_text) {
  return app::parse_certificate_reply(send(client, app::certificate_request(token, ekeyhmac_text)));
}

nlohmann::json publish_body(std::span<const UploadKey> keys, const std::string& certificate, ByteView secret,
                            const std::string& app_id, const std::string& revision_token) {
  app::UploadOptions options;
  options.app_id = app_id;
  return nlohmann::json::parse(app::publish_request(keys, certificate, secret, revision_token, options).body);
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
  auto certificate = request_certificate(client, *token, app::ekeyhmac(keys, out.hmac_secret));
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
  app::UploadOptions upload;
  upload.flow = app::UploadFlow::kCocoa;
  upload.code = processing_number;
  upload.app_id = options.app_id;
  upload.regions = options.regions;
  upload.platform = options.platform;
  upload.onset_date = options.onset_of_symptom_or_test_date;
  nlohmann::json body = nlohmann::json::parse(app::cocoa_request(keys, upload).body);
  if (options.idempotency_key.empty()) {
    body.erase("idempotencyKey");
  } else {
    body["idempotencyKey"] = options.idempotency_key;
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
    // One pass: the keys are read while the hashes the signatures cover are computed.
    auto contents = keyfile::read_export_bytes(data);
    if (!contents.ok()) return Status(contents.status().code(), line + ": " + contents.status().message());
    Status verified = contents->signatures.empty()
                          ? malformed("a bare export.bin carries no signature")
                          : keyfile::verify_signatures(contents->metadata, contents->signatures, contents->digests,
                                                       cosign_sets);
    if (!verified.ok()) return Status(verified.code(), line + ": " + verified.message());
    out.files.push_back(DownloadedFile{line, std::move(*contents)});
  }
  return out;
}

}  // namespace exposure::app_client
