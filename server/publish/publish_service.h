// /v1/publish (Google's server API): the authorized app and its regions, the verification
// certificate, key validation (key_transform.h), then storage with the revision rules of
// the reference server, all in one transaction, and a fresh revision token.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/secrets.h"
#include "exposure/interval.h"
#include "http/api_error.h"
#include "http/api_transaction.h"
#include "http/metrics.h"
#include "publish/certificate_verifier.h"
#include "publish/key_transform.h"
#include "publish/publish_api.h"
#include "publish/revision_token.h"
#include "storage/storage.h"

namespace exposure::server {

// The regions of an app (its own, else the default region). 401
// unknown_health_authority_id for an unknown app, 500 unable_to_load_health_authority when
// storage fails, 500 health_authority_missing_region_config when there is no region.
ApiResult<std::vector<std::string>> app_regions(Storage& storage, std::string_view app_id,
                                                const PublishSettings& settings);

// The outcome of storing one upload.
struct StoredUpload {
  int64_t inserted = 0;
  int64_t revised = 0;
  std::vector<RevisableKey> stored_keys;  // incoming keys now stored (for the next token)
};

// §4.4: inserts new keys (negative ones are not stored) and revises stored ones.
// `token_keys` is the decrypted previous token (nullopt when none was sent or it did not
// decrypt; `token_sent` tells which). Errors: missing_revision_token,
// invalid_revision_token, key_already_revised, invalid_report_type_transition,
// internal_error (metadata mismatch, non-local key), all HTTP 400; storage failures pass
// through.
TxResult<StoredUpload> store_upload(Transaction& tx, std::span<const Exposure> incoming, bool token_sent,
                                     const std::optional<std::vector<RevisableKey>>& token_keys);

class PublishService {
 public:
  PublishService(Storage& storage, const Clock& clock, const ServerSecrets& secrets, CertificateVerifier verifier,
                 PublishSettings settings, Metrics& metrics);

  ApiResult<PublishReply> publish(const PublishRequest& request);
  // A success-shaped reply with random content (X-Chaff).
  PublishReply fake_publish_reply() const;

  const PublishSettings& settings() const { return settings_; }

 private:
  Storage& storage_;
  const Clock& clock_;
  const ServerSecrets& secrets_;
  CertificateVerifier verifier_;
  PublishSettings settings_;
  Metrics& metrics_;
};

}  // namespace exposure::server
