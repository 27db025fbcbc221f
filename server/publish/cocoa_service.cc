#include "publish/cocoa_service.h"

#include <algorithm>
#include <map>

#include "common/text.h"
#include "publish/publish_service.h"

namespace exposure::server {
namespace {

constexpr int32_t kMaxCocoaReportType = 5;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::optional<ApiError> check_required(const CocoaDiagnosisRequest& r) {
  auto missing = [](const char* field) { return api_error(400, "bad_request", std::string(field) + " is required"); };
  if (r.verification_payload.empty()) return missing("verificationPayload");
  if (r.regions.empty()) return missing("regions");
  if (r.platform.empty()) return missing("platform");
  if (r.device_verification_payload.empty()) return missing("deviceVerificationPayload");
  if (r.app_package_name.empty()) return missing("appPackageName");
  for (size_t i = 0; i < r.keys.size(); ++i) {
    if (r.keys[i].report_type < 0 || r.keys[i].report_type > kMaxCocoaReportType) {
      return api_error(400, "bad_request", "keys[" + std::to_string(i) + "].reportType " +
                                               std::to_string(r.keys[i].report_type) + " out of range 0..5");
    }
  }
  return std::nullopt;
}

}  // namespace

ApiResult<std::optional<int64_t>> check_cocoa_request(const CocoaDiagnosisRequest& request) {
  if (auto error = check_required(request)) return *error;
  const std::string& onset_text =
      !request.onset_of_symptom_or_test_date.empty() ? request.onset_of_symptom_or_test_date : request.symptom_onset_date;
  if (onset_text.empty()) return std::optional<int64_t>();
  auto onset = parse_rfc3339(onset_text);
  if (!onset.ok()) return api_error(400, "bad_request", "onset date: " + onset.status().message());
  return std::optional<int64_t>(floor_div(*onset, kSecondsPerDay) * kTekRollingPeriod);
}

CocoaService::CocoaService(Storage& storage, const Clock& clock, const ServerSecrets& secrets,
                           VerificationService& verification, PublishSettings settings, Metrics& metrics)
    : storage_(storage),
      clock_(clock),
      secrets_(secrets),
      verification_(verification),
      settings_(std::move(settings)),
      metrics_(metrics) {}

ApiResult<nlohmann::json> CocoaService::submit(const CocoaDiagnosisRequest& request) {
  const int64_t now = clock_.now_unix_seconds();
  auto onset_interval = check_cocoa_request(request);
  if (!onset_interval.ok()) return onset_interval.error();
  auto allowed = app_regions(storage_, request.app_package_name, settings_);
  if (!allowed.ok()) return allowed.error();
  for (const std::string& region : request.regions) {
    if (std::find(allowed->begin(), allowed->end(), region) == allowed->end()) {
      return api_error(400, "bad_request", "region \"" + printable(region) + "\" is not supported for this app");
    }
  }
  UploadContext ctx;
  ctx.regions = request.regions;
  ctx.request_onset_interval = *onset_interval;
  if (auto error = verification_.check_failure_budget(now)) return *error;
  const std::vector<TekmacKey> keys = cocoa_keys_for_validation(request);
  const std::optional<Hash> idempotency =
      request.idempotency_key.empty() ? std::nullopt
                                      : std::optional<Hash>(secrets_.idempotency_hash(request.idempotency_key));

  // The reply to send and how many keys were stored.
  struct Stored {
    nlohmann::json reply;
    int64_t inserted = 0;
  };
  auto stored = api_transaction(storage_, "cocoa upload", [&](Transaction& tx) -> TxResult<Stored> {
    if (idempotency) {
      auto previous = tx.exposures().find_idempotent_result(*idempotency);
      if (!previous.ok()) return previous.status();
      // The first reply, nothing stored again.
      if (*previous) return Stored{nlohmann::json::parse((*previous)->body, nullptr, false), 0};
    }
    auto code = verification_.claim_code_in(tx, request.verification_payload, now);
    if (ApiError* refusal = code.refusal(); refusal && refusal->http_status == 400) {
      refusal->http_status = 406;  // COCOA: the processing number is not acceptable
    }
    if (!code.ok()) return std::move(code).failure();
    ctx.report_type = code->test_type;
    ctx.health_authority_id = code->health_authority_id;
    if (!code->symptom_date.empty()) {
      auto day = parse_iso_date(code->symptom_date);
      if (day.ok()) ctx.certificate_onset_interval = *day * kTekRollingPeriod;
    }
    auto upload = transform_upload(keys, ctx, now, settings_);
    if (!upload.ok()) return upload.error();

    std::vector<KeyData> wanted;
    for (const Exposure& e : upload->exposures) wanted.push_back(e.key_data);
    auto existing = tx.exposures().find_exposures(wanted);
    if (!existing.ok()) return existing.status();
    std::vector<Exposure> fresh;
    for (const Exposure& e : upload->exposures) {
      bool stored = std::any_of(existing->begin(), existing->end(),
                                [&](const Exposure& x) { return x.key_data == e.key_data; });
      if (!stored && e.report_type != "negative") fresh.push_back(e);
    }
    if (Status st = tx.exposures().insert_exposures(fresh); !st.ok()) return st;
    CocoaReply r;
    r.inserted_exposures = static_cast<int64_t>(fresh.size());
    r.warnings = upload->warnings;
    if (!upload->dropped.empty()) {
      r.code = "partial_failure";
      r.error = join(upload->dropped);
    }
    Stored out{to_json(r), r.inserted_exposures};
    if (idempotency) {
      Status st = tx.exposures().insert_idempotent_result(IdempotentResult{*idempotency, 200, out.reply.dump(), now});
      if (!st.ok()) return st;
    }
    return out;
  });
  if (!stored.ok()) {
    const std::string& code = stored.error().code;
    if (code == "code_not_found" || code == "code_invalid") verification_.count_code_failure(now);
    return stored.error();
  }
  metrics_.add_keys_published(stored->inserted);
  nlohmann::json reply = std::move(stored->reply);
  if (!reply.is_object()) reply = nlohmann::json::object();
  return reply;
}

nlohmann::json CocoaService::fake_reply() const {
  CocoaReply r;
  r.inserted_exposures = 14;
  return to_json(r);
}

}  // namespace exposure::server
