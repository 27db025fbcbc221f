#include "publish/publish_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::server {
namespace {

// Allowed revisions (stored empty type counts as likely): likely -> confirmed | negative,
// user-report -> confirmed | likely | negative.
bool transition_allowed(std::string from, const std::string& to) {
  if (from.empty()) from = "likely";
  if (from == "likely") return to == "confirmed" || to == "negative";
  if (from == "user-report") return to == "confirmed" || to == "likely" || to == "negative";
  return false;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

ApiResult<std::vector<std::string>> app_regions(Storage& storage, std::string_view app_id,
                                                const PublishSettings& settings) {
  std::optional<AuthorizedApp> app;
  Status st = storage.read([&](Transaction& tx) -> Status {
    auto found = tx.verification().find_app(to_lower(app_id));
    if (!found.ok()) return found.status();
    app = *found;
    return Status::Ok();
  });
  if (!st.ok()) {
    log_error("publish: load app: " + st.to_string());
    return api_error(500, "unable_to_load_health_authority", "unable to load health authority, retry later");
  }
  if (!app) return api_error(401, "unknown_health_authority_id", "unknown health authority / app id");
  if (!app->regions.empty()) return app->regions;
  if (!settings.default_region.empty()) return std::vector<std::string>{settings.default_region};
  return api_error(500, "health_authority_missing_region_config", "no regions configured for the app");
}

TxResult<StoredUpload> store_upload(Transaction& tx, std::span<const Exposure> incoming, bool token_sent,
                                     const std::optional<std::vector<RevisableKey>>& token_keys) {
  std::vector<KeyData> wanted;
  for (const Exposure& e : incoming) wanted.push_back(e.key_data);
  auto existing_rows = tx.exposures().find_exposures(wanted);
  if (!existing_rows.ok()) return existing_rows.status();
  std::map<KeyData, Exposure> existing;
  for (Exposure& e : *existing_rows) existing.emplace(e.key_data, std::move(e));

  StoredUpload out;
  std::vector<Exposure> inserts, revisions;
  auto remember = [&out](const Exposure& e) {
    out.stored_keys.push_back(RevisableKey{e.key_data, static_cast<int32_t>(e.rolling_start),
                                           static_cast<int32_t>(e.rolling_period)});
  };
  if (!existing.empty()) {
    if (!token_sent) return api_error(400, "missing_revision_token", "keys were uploaded before: send the revision token");
    if (!token_keys) return api_error(400, "invalid_revision_token", "revision token is invalid");
  }
  for (const Exposure& in : incoming) {
    auto it = existing.find(in.key_data);
    if (it == existing.end()) {
      if (in.report_type == "negative") continue;  // a negative key is never stored
      inserts.push_back(in);
      remember(in);
      continue;
    }
    const Exposure& stored = it->second;
    if (stored.rolling_start != in.rolling_start || stored.rolling_period != in.rolling_period) {
      return api_error(400, "internal_error", "incoming key metadata does not match the stored key");
    }
    auto token_entry = std::find_if(token_keys->begin(), token_keys->end(),
                                    [&](const RevisableKey& k) { return k.key == in.key_data; });
    if (token_entry == token_keys->end()) {
      return api_error(400, "invalid_revision_token", "revision token does not hold a key that is being revised");
    }
    if (token_entry->interval_number != static_cast<int32_t>(stored.rolling_start) ||
        token_entry->interval_count != static_cast<int32_t>(stored.rolling_period)) {
      return api_error(400, "invalid_revision_token", "revision token metadata does not match the stored key");
    }
    remember(stored);
    if (in.report_type == stored.report_type || in.report_type == stored.revised_report_type) continue;  // no-op
    if (!stored.local_provenance) return api_error(400, "internal_error", "key of another origin cannot be revised");
    if (stored.revised_at) return api_error(400, "key_already_revised", "a key can be revised only once");
    if (!transition_allowed(stored.report_type, in.report_type)) {
      return api_error(400, "invalid_report_type_transition",
                       "cannot revise a key from " + (stored.report_type.empty() ? std::string("likely") : stored.report_type) +
                           " to " + (in.report_type.empty() ? std::string("(none)") : in.report_type));
    }
    Exposure revised = stored;
    revised.revised_report_type = in.report_type;
    revised.revised_at = in.created_at;
    revised.revised_days_since_onset = in.days_since_onset;
    revised.revised_transmission_risk = in.transmission_risk;
    for (const std::string& r : in.regions) {
      if (std::find(revised.regions.begin(), revised.regions.end(), r) == revised.regions.end()) {
        revised.regions.push_back(r);
      }
    }
    revisions.push_back(std::move(revised));
  }
  Status st = tx.exposures().insert_exposures(inserts);
  if (st.ok()) st = tx.exposures().update_revisions(revisions);
  if (!st.ok()) return st;
  out.inserted = static_cast<int64_t>(inserts.size());
  out.revised = static_cast<int64_t>(revisions.size());
  return out;
}

PublishService::PublishService(Storage& storage, const Clock& clock, const ServerSecrets& secrets,
                               CertificateVerifier verifier, PublishSettings settings, Metrics& metrics)
    : storage_(storage),
      clock_(clock),
      secrets_(secrets),
      verifier_(std::move(verifier)),
      settings_(std::move(settings)),
      metrics_(metrics) {}

ApiResult<PublishReply> PublishService::publish(const PublishRequest& request) {
  const int64_t now = clock_.now_unix_seconds();
  auto regions = app_regions(storage_, request.health_authority_id, settings_);
  if (!regions.ok()) return regions.error();

  auto claims = verifier_.verify(request.verification_payload, request.keys, request.hmac_key, now);
  if (!claims.ok()) {
    return api_error(401, "health_authority_verification_certificate_invalid", claims.status().message());
  }

  // A token that does not decrypt is treated as absent until storage needs it.
  std::optional<std::vector<RevisableKey>> token_keys;
  const bool token_sent = !request.revision_token.empty();
  if (token_sent) {
    auto opened = open_revision_token(request.revision_token, secrets_.revision_token_key(), settings_.revision_token_aad);
    if (opened.ok()) token_keys = std::move(*opened);
  }

  UploadContext ctx;
  ctx.regions = *regions;
  ctx.traveler = request.traveler;
  ctx.report_type = claims->report_type;
  if (request.symptom_onset_interval != 0) ctx.request_onset_interval = request.symptom_onset_interval;
  ctx.certificate_onset_interval = claims->symptom_onset_interval;
  auto upload = transform_upload(request.keys, ctx, now, settings_);
  if (!upload.ok()) return upload.error();

  auto stored = api_transaction(storage_, "publish: transaction", [&](Transaction& tx) -> TxResult<StoredUpload> {
    auto result = store_upload(tx, upload->exposures, token_sent, token_keys);
    const ApiError* refusal = result.refusal();
    if (refusal && token_sent && !token_keys && refusal->http_status == 400) {
      return api_error(400, "invalid_revision_token", "revision token is invalid");
    }
    return result;
  });
  if (!stored.ok()) return stored.error();
  metrics_.add_keys_published(stored->inserted);
  metrics_.add_keys_revised(stored->revised);

  // The next token: keys of the previous token still within the age limit, plus the keys
  // stored now.
  const int64_t oldest = floor_div(now - settings_.max_interval_age_seconds, kIntervalSeconds);
  std::vector<RevisableKey> next;
  std::set<KeyData> seen;
  for (const RevisableKey& k : stored->stored_keys) {
    if (seen.insert(k.key).second) next.push_back(k);
  }
  if (token_keys) {
    for (const RevisableKey& k : *token_keys) {
      if (int64_t{k.interval_number} + k.interval_count >= oldest && seen.insert(k.key).second) next.push_back(k);
    }
  }
  PublishReply reply;
  reply.revision_token = seal_revision_token(next, secrets_.revision_token_key(), settings_.revision_token_aad);
  reply.inserted_exposures = stored->inserted;
  reply.warnings = upload->warnings;
  if (!upload->dropped.empty()) {
    reply.code = "partial_failure";
    reply.error = join(upload->dropped);
  }
  return reply;
}

PublishReply PublishService::fake_publish_reply() const {
  // Same fields and sizes as a first upload: a token of 28 entries and a key count.
  std::vector<RevisableKey> fake(14);
  for (RevisableKey& k : fake) {
    crypto::random_bytes(k.key);
    k.interval_number = static_cast<int32_t>(random_below(3'000'000));
    k.interval_count = 144;
  }
  PublishReply reply;
  SecretArray<32> throwaway;
  crypto::random_bytes(MutableByteView(throwaway.data(), throwaway.size()));
  reply.revision_token = seal_revision_token(fake, throwaway, settings_.revision_token_aad);
  reply.inserted_exposures = 14;
  return reply;
}

}  // namespace exposure::server
