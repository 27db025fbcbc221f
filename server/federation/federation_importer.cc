#include "federation/federation_importer.h"

#include <algorithm>
#include <set>

#include "common/fault_point.h"
#include "common/text.h"
#include "exposure/crypto.h"
#include "exposure/keyfile.h"
#include "federation/import_plan.h"
#include "federation/partner_index.h"
#include "federation/partner_signatures.h"

namespace exposure::server {

constexpr char kFederationLease[] = "federation";

struct FederationImporter::Partner {
  FederationPartner config;
  PartnerUrl url;
  std::set<std::string> imported;  // names of files imported already
};

namespace {

// The keys of an archive, read to the end (so its signatures can be checked).
struct ReadArchive {
  std::vector<DiagnosisKey> keys;
  std::vector<DiagnosisKey> revised;
  int64_t invalid = 0;  // keys the reader rejected (out of range), left out
};

// Reads every key; a key with out-of-range fields is left out and counted, any other error
// (truncated, malformed, too large) ends the read. Then applies the partner signature rule.
Result<ReadArchive> read_and_verify(ByteView archive, const FederationPartner& partner,
                                    const char** reason) {
  *reason = "bad_file";
  auto opened = keyfile::ExportReader::open_bytes(archive);
  if (!opened.ok()) return opened.status();
  keyfile::ExportReader& reader = **opened;
  ReadArchive out;
  while (true) {
    auto record = reader.next();
    if (!record.ok()) {
      if (reader.stream_failed()) return record.status();
      out.invalid += 1;
      continue;
    }
    if (!record->has_value()) break;
    ((*record)->list == keyfile::KeyList::kKeys ? out.keys : out.revised).push_back((*record)->key);
  }
  Status verified = verify_partner_file(reader, partner.keys);
  if (!verified.ok()) {
    if (verified.code() == ErrorCode::kVerificationFailed) *reason = "bad_signature";
    return verified;
  }
  return out;
}

}  // namespace

FederationImporter::FederationImporter(Storage& storage, const Clock& clock,
                                       FederationSettings settings, PublishSettings publish,
                                       Metrics& metrics)
    : storage_(storage),
      clock_(clock),
      settings_(std::move(settings)),
      publish_(std::move(publish)),
      metrics_(metrics),
      lease_(storage, clock, kFederationLease, settings_.lease_seconds) {}

FederationImporter::~FederationImporter() { stop(); }

void FederationImporter::count_failure(const std::string& partner, const char* reason,
                                       const std::string& message, ImportPassSummary* summary) {
  summary->failures += 1;
  metrics_.add_federation_failure(partner, reason);
  log_error("federation " + partner + ": " + message + " [" + reason + "]");
}

Result<bool> FederationImporter::import_file(const Partner& partner, const std::string& region,
                                             const std::string& name, ImportPassSummary* summary) {
  const std::string& who = partner.config.name;
  FetchOptions fetch_options{settings_.timeout_ms, settings_.max_file_bytes};
  Fetched fetched = fetch_from_partner(partner.url, name, fetch_options);
  if (!fetched.status.ok()) {
    const bool missing = fetched.failure == FetchFailure::kNotFound;
    count_failure(who, missing ? "missing_file" : fetch_failure_name(fetched.failure),
                  missing ? name + ": listed in the index but " + fetched.status.message()
                          : fetched.status.message(),
                  summary);
    return false;
  }
  const char* reason = "bad_file";
  auto archive = read_and_verify(fetched.body, partner.config, &reason);
  if (!archive.ok()) {
    count_failure(who, reason, name + ": " + archive.status().message(), summary);
    return false;
  }

  const int64_t now = clock_.now_unix_seconds();
  const ImportSource source{who, name, region, now};
  const std::vector<KeyData> all_keys = keys_of(archive->keys, archive->revised);
  // The plan is made from a read snapshot, without the per-key locks an upload takes (a file
  // may hold many thousands of keys). Only this importer (holding the lease) changes
  // imported keys; a key inserted meanwhile by an upload makes the insert below fail, and
  // the file is imported again on the next pass.
  ImportPlan plan;
  EXPOSURE_RETURN_IF_ERROR(storage_.read([&](Transaction& tx) -> Status {
    auto stored = tx.exposures().find_exposures(all_keys);
    if (!stored.ok()) return stored.status();
    std::vector<KeyData> stored_keys;
    for (const Exposure& e : *stored) stored_keys.push_back(e.key_data);
    auto provenance = tx.federation().find_provenance(stored_keys);
    if (!provenance.ok()) return provenance.status();
    plan = plan_import(archive->keys, archive->revised, *stored, *provenance, source, publish_);
    return Status::Ok();
  }));
  const ImportedFile record{who, name, region, now, static_cast<int64_t>(plan.inserts.size())};
  std::vector<KeyData> new_keys;
  for (const Exposure& e : plan.inserts) new_keys.push_back(e.key_data);
  Status st = storage_.transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.exposures().insert_exposures(plan.inserts));
    EXPOSURE_RETURN_IF_ERROR(tx.federation().insert_provenance(record, new_keys));
    EXPOSURE_RETURN_IF_ERROR(tx.exposures().update_revisions(plan.updates));
    EXPOSURE_RETURN_IF_ERROR(tx.federation().insert_imported_file(record));
    // Test hook: a kill here leaves the whole file uncommitted.
    fault_point("federation-import-commit");
    return Status::Ok();
  });
  if (st.code() == ErrorCode::kAlreadyExists) {
    count_failure(who, "conflict",
                  name + ": keys or the file were stored meanwhile; retried on the next pass",
                  summary);
    return false;
  }
  EXPOSURE_RETURN_IF_ERROR(st);
  // Test hook: a kill here, after the commit, must not import the file again.
  fault_point("federation-import-committed");
  const int64_t refused = archive->invalid + plan.refused;
  summary->files_imported += 1;
  summary->keys_imported += static_cast<int64_t>(plan.inserts.size());
  summary->keys_duplicate += plan.duplicates;
  summary->keys_updated += static_cast<int64_t>(plan.updates.size());
  summary->keys_refused += refused;
  metrics_.add_federation_import(who, 1, static_cast<int64_t>(plan.inserts.size()));
  log_info("federation " + who + ": imported " + name + " into " + region + ": " +
           std::to_string(plan.inserts.size()) + " new keys, " +
           std::to_string(plan.updates.size()) + " updated, " + std::to_string(plan.duplicates) +
           " already stored, " + std::to_string(refused) + " refused");
  return true;
}

Status FederationImporter::import_region(const Partner& partner, const std::string& region,
                                         ImportPassSummary* summary) {
  const std::string& who = partner.config.name;
  FetchOptions index_options{settings_.timeout_ms, settings_.max_index_bytes};
  Fetched fetched = fetch_from_partner(partner.url, region + "/index.txt", index_options);
  if (!fetched.status.ok()) {
    count_failure(who, fetch_failure_name(fetched.failure), fetched.status.message(), summary);
    return Status::Ok();
  }
  const PartnerIndex index = parse_partner_index(
      std::string_view(reinterpret_cast<const char*>(fetched.body.data()), fetched.body.size()));
  for (const std::string& line : index.rejected) {
    count_failure(who, "bad_index", region + "/index.txt: unusable line \"" + line + "\"", summary);
  }
  for (const std::string& name : index.files) {
    if (partner.imported.count(name)) continue;
    // Renewed before each file, so a file is only started while the lease is ours.
    auto leased = lease_.renew();
    if (!leased.ok()) return leased.status();
    if (!*leased)
      return Status(ErrorCode::kFailedPrecondition,
                    "federation lease lost during the pass; another instance continues");
    auto done = import_file(partner, region, name, summary);
    if (!done.ok())
      return Status(done.status().code(),
                    "federation " + who + ": " + name + ": " + done.status().message());
  }
  return Status::Ok();
}

Result<ImportPassSummary> FederationImporter::run_once() {
  std::lock_guard<std::mutex> lock(pass_mutex_);
  ImportPassSummary summary;
  auto leased = lease_.renew();
  if (!leased.ok()) return leased.status();
  if (!*leased) {
    summary.lease_held_elsewhere = true;
    return summary;
  }
  std::vector<Partner> partners;
  const int64_t now = clock_.now_unix_seconds();
  EXPOSURE_RETURN_IF_ERROR(storage_.transaction([&](Transaction& tx) -> Status {
    // Provenance lives as long as the keys; file records twice as long, so a partner that
    // keeps files longer than this server keeps keys does not get them imported again.
    auto provenance = tx.federation().delete_provenance_before(now - settings_.retention_seconds);
    if (!provenance.ok()) return provenance.status();
    auto files =
        tx.federation().delete_imported_files_before(now - 2 * settings_.retention_seconds);
    if (!files.ok()) return files.status();
    auto configured = tx.federation().list_partners();
    if (!configured.ok()) return configured.status();
    partners.clear();
    for (FederationPartner& p : *configured) {
      auto imported = tx.federation().imported_files(p.name);
      if (!imported.ok()) return imported.status();
      auto url = partner_url(p.url);
      if (!url.ok())
        return Status(ErrorCode::kCorrupt,
                      "partner " + p.name + ": stored " + url.status().message());
      partners.push_back(
          Partner{std::move(p), std::move(*url), {imported->begin(), imported->end()}});
    }
    return Status::Ok();
  }));
  for (const Partner& partner : partners) {
    summary.partners += 1;
    for (const std::string& region : partner.config.regions) {
      EXPOSURE_RETURN_IF_ERROR(import_region(partner, region, &summary));
    }
  }
  return summary;
}

void FederationImporter::start() {
  stopping_ = false;
  thread_ = std::thread([this] {
    while (true) {
      auto result = run_once();
      if (!result.ok()) log_error("federation: " + result.status().to_string());
      std::unique_lock<std::mutex> lock(wake_mutex_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(settings_.interval_ms),
                         [this] { return stopping_; }))
        return;
    }
  });
}

void FederationImporter::stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(pass_mutex_);
  lease_.release();
}

}  // namespace exposure::server
