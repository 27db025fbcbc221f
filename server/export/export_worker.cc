#include "export/export_worker.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/text.h"
#include "export/atomic_file.h"
#include "export/batch_windows.h"
#include "exposure/crypto.h"
#include "verification/test_type.h"

namespace exposure::server {
namespace {

constexpr char kExportLease[] = "export";

DiagnosisKey to_diagnosis_key(const Exposure& e, bool revised) {
  DiagnosisKey k;
  k.key_data = e.key_data;
  k.rolling_start_interval_number = e.rolling_start;
  k.rolling_period = e.rolling_period;
  // Revised keys carry the revised type and onset; the stored original risk is written.
  k.transmission_risk_level = e.transmission_risk;
  k.report_type = report_type_of(revised ? e.revised_report_type : e.report_type);
  k.days_since_onset_of_symptoms = revised ? e.revised_days_since_onset : e.days_since_onset;
  return k;
}

}  // namespace

Result<std::vector<keyfile::SigningKey>> load_signing_keys(Storage& storage, const ServerSecrets& secrets) {
  std::vector<SigningKeyRecord> records;
  Status st = storage.read([&](Transaction& tx) -> Status {
    auto list = tx.verification().list_signing_keys();
    if (!list.ok()) return list.status();
    records = std::move(*list);
    return Status::Ok();
  });
  EXPOSURE_RETURN_IF_ERROR(st);
  std::vector<keyfile::SigningKey> out;
  for (const SigningKeyRecord& r : records) {
    if (!r.active) continue;
    auto pem = secrets.open(r.sealed_private_key, "signing-key");
    if (!pem.ok()) return pem.status();
    auto key = crypto::EcPrivateKey::parse_pem(*pem);
    secure_wipe(pem->data(), pem->size());
    if (!key.ok()) return Status(ErrorCode::kCorrupt, "signing key " + r.key_id + "-" + r.key_version + ": " + key.status().message());
    out.push_back(keyfile::SigningKey{r.key_id, r.key_version, std::move(*key)});
  }
  return out;
}

std::string index_text(const std::vector<ExportFile>& files) {
  std::vector<std::string> names;
  for (const ExportFile& f : files) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += '\n';
    out += n;
  }
  return out;
}

std::string list_json(const std::vector<ExportFile>& files, const std::string& public_base_url) {
  std::vector<const ExportFile*> sorted;
  for (const ExportFile& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(), [](const ExportFile* a, const ExportFile* b) { return a->name < b->name; });
  nlohmann::json list = nlohmann::json::array();
  for (const ExportFile* f : sorted) {
    list.push_back({{"region", f->region}, {"url", public_base_url + "/" + f->name}, {"created", f->created_at * 1000}});
  }
  return list.dump();
}

ExportWorker::ExportWorker(Storage& storage, const Clock& clock, const ServerSecrets& secrets, ExportSettings settings,
                           Metrics& metrics)
    : storage_(storage),
      clock_(clock),
      secrets_(secrets),
      settings_(std::move(settings)),
      metrics_(metrics),
      lease_(storage, clock, kExportLease, settings_.lease_seconds) {}

ExportWorker::~ExportWorker() { stop(); }

Result<std::vector<std::string>> ExportWorker::export_regions() {
  std::set<std::string> regions;
  if (!settings_.default_region.empty()) regions.insert(settings_.default_region);
  Status st = storage_.read([&](Transaction& tx) -> Status {
    auto apps = tx.verification().list_apps();
    if (!apps.ok()) return apps.status();
    for (const AuthorizedApp& app : *apps) regions.insert(app.regions.begin(), app.regions.end());
    return Status::Ok();
  });
  EXPOSURE_RETURN_IF_ERROR(st);
  std::vector<std::string> out;
  for (const std::string& r : regions) {
    if (is_region_name(r)) out.push_back(r);
    else log_warning("export: skipping region with an unusable name \"" + printable(r) + "\"");
  }
  return out;
}

Status ExportWorker::export_window(const std::string& region, int64_t start, int64_t end,
                                   const std::vector<keyfile::SigningKey>& signers, ExportPassSummary* summary) {
  std::vector<DiagnosisKey> keys, revised;
  EXPOSURE_RETURN_IF_ERROR(storage_.read([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.exposures().scan_exposures(region, start, end, false,
                                               [&](const Exposure& e) { keys.push_back(to_diagnosis_key(e, false)); }));
    return tx.exposures().scan_exposures(region, start, end, true,
                             [&](const Exposure& e) { revised.push_back(to_diagnosis_key(e, true)); });
  }));
  if (!keys.empty() && keys.size() < settings_.min_records) {
    // The padding is drawn once and stored, so regenerating the batch gives the same keys.
    std::vector<DiagnosisKey> padding;
    EXPOSURE_RETURN_IF_ERROR(storage_.transaction([&](Transaction& tx) -> Status {
      auto stored = tx.exports().padding_keys(region, start, end);
      if (!stored.ok()) return stored.status();
      padding = std::move(*stored);
      if (!padding.empty()) return Status::Ok();
      padding = keyfile::make_padding_keys(keys, settings_.min_records, settings_.padding_range, settings_.max_records);
      return tx.exports().insert_padding_keys(region, start, end, padding);
    }));
    keys.insert(keys.end(), padding.begin(), padding.end());
  }

  std::vector<ExportFile> files;
  if (!keys.empty() || !revised.empty()) {
    keyfile::ExportBatch batch;
    batch.region = region;
    batch.start_timestamp = static_cast<uint64_t>(start);
    batch.end_timestamp = static_cast<uint64_t>(end);
    batch.max_records_per_file = settings_.max_records;
    const size_t records = keys.size() + revised.size();
    auto archives = keyfile::build_export_archives(batch, std::move(keys), std::move(revised), signers);
    if (!archives.ok()) return archives.status();
    const std::string dir = settings_.root + "/" + region;
    EXPOSURE_RETURN_IF_ERROR(make_directories(dir));
    const int64_t now = clock_.now_unix_seconds();
    for (size_t i = 0; i < archives->size(); ++i) {
      const int file_num = static_cast<int>(i + 1);
      const std::string name = export_file_name(start, end, file_num);
      EXPOSURE_RETURN_IF_ERROR(write_file_atomically(dir + "/" + name, (*archives)[i]));
      files.push_back(ExportFile{region, region + "/" + name, start, end, file_num, now,
                                 static_cast<int64_t>((*archives)[i].size())});
    }
    summary->files_written += static_cast<int>(files.size());
    summary->keys_exported += static_cast<int64_t>(records);
    metrics_.add_export_files_written(static_cast<int64_t>(files.size()));
  }
  // Only now, with every file in place, is the window recorded as exported.
  EXPOSURE_RETURN_IF_ERROR(storage_.transaction([&](Transaction& tx) -> Status {
    EXPOSURE_RETURN_IF_ERROR(tx.exports().upsert_export_files(files));
    return tx.exports().set_last_export_end(region, end);
  }));
  summary->batches += 1;
  return Status::Ok();
}

Status ExportWorker::cleanup(int64_t now, ExportPassSummary* summary) {
  const int64_t cutoff = now - settings_.retention_seconds;
  std::vector<ExportFile> doomed;
  EXPOSURE_RETURN_IF_ERROR(storage_.transaction([&](Transaction& tx) -> Status {
    auto exposures = tx.exposures().delete_exposures_before(cutoff);
    if (!exposures.ok()) return exposures.status();
    summary->exposures_deleted = *exposures;
    auto files = tx.exports().delete_export_files_before(cutoff);
    if (!files.ok()) return files.status();
    doomed = std::move(*files);
    auto secrets = tx.verification().delete_expired_secrets(now - 86400);
    if (!secrets.ok()) return secrets.status();
    auto replies = tx.exposures().delete_idempotent_results_before(now - 86400);
    return replies.ok() ? Status::Ok() : replies.status();
  }));
  // The rows are gone, so the indexes written below no longer list these files.
  for (const ExportFile& f : doomed) {
    std::error_code ec;
    if (std::filesystem::remove(settings_.root + "/" + f.name, ec)) summary->files_deleted += 1;
  }
  return Status::Ok();
}

Status ExportWorker::write_indexes(const std::vector<std::string>& regions) {
  std::vector<ExportFile> all;
  EXPOSURE_RETURN_IF_ERROR(storage_.read([&](Transaction& tx) -> Status {
    auto files = tx.exports().list_export_files();
    if (!files.ok()) return files.status();
    all = std::move(*files);
    return Status::Ok();
  }));
  std::map<std::string, std::vector<ExportFile>> by_region;
  for (const std::string& r : regions) by_region[r];
  for (ExportFile& f : all) by_region[f.region].push_back(std::move(f));
  for (const auto& [region, files] : by_region) {
    const std::string dir = settings_.root + "/" + region;
    EXPOSURE_RETURN_IF_ERROR(make_directories(dir));
    for (const auto& [name, content] : {std::pair{std::string("index.txt"), index_text(files)},
                                        std::pair{std::string("list.json"), list_json(files, settings_.public_base_url)}}) {
      const std::string path = dir + "/" + name;
      auto current = read_file(path);
      if (current.ok() && std::string(current->begin(), current->end()) == content) continue;
      EXPOSURE_RETURN_IF_ERROR(write_file_atomically(path, as_bytes(content)));
    }
  }
  return Status::Ok();
}

Result<ExportPassSummary> ExportWorker::run_once() {
  std::lock_guard<std::mutex> lock(pass_mutex_);
  ExportPassSummary summary;
  auto leased = lease_.renew();
  if (!leased.ok()) return leased.status();
  if (!*leased) {
    summary.lease_held_elsewhere = true;
    return summary;
  }
  const int64_t now = clock_.now_unix_seconds();
  EXPOSURE_RETURN_IF_ERROR(make_directories(settings_.root));
  EXPOSURE_RETURN_IF_ERROR(cleanup(now, &summary));
  auto regions = export_regions();
  if (!regions.ok()) return regions.status();
  auto signers = load_signing_keys(storage_, secrets_);
  if (!signers.ok()) return signers.status();
  if (signers->empty()) {
    EXPOSURE_RETURN_IF_ERROR(write_indexes(*regions));
    return Status(ErrorCode::kFailedPrecondition,
                  "no active signing key: add one with `exposure-server signing-key add --id ID --version V`");
  }
  for (const std::string& region : *regions) {
    remove_stale_temp_files(settings_.root + "/" + region);
    std::optional<int64_t> last_end;
    EXPOSURE_RETURN_IF_ERROR(storage_.read([&](Transaction& tx) -> Status {
      auto last = tx.exports().last_export_end(region);
      if (!last.ok()) return last.status();
      last_end = *last;
      return Status::Ok();
    }));
    for (const BatchWindow& w : due_windows(last_end, now, settings_.period_seconds, settings_.min_window_age_seconds,
                                            settings_.truncate_window_seconds, now - settings_.retention_seconds,
                                            settings_.max_windows_per_pass)) {
      // Renewed before each window, so a window is only started while the lease is ours.
      auto still_leased = lease_.renew();
      if (!still_leased.ok()) return still_leased.status();
      if (!*still_leased) {
        return Status(ErrorCode::kFailedPrecondition,
                      "export lease expired during the pass; another instance continues (raise --export-lease)");
      }
      Status st = export_window(region, w.start, w.end, *signers, &summary);
      if (!st.ok()) return Status(st.code(), "export " + region + " " + export_file_name(w.start, w.end, 1) + ": " + st.message());
    }
  }
  EXPOSURE_RETURN_IF_ERROR(write_indexes(*regions));
  return summary;
}

void ExportWorker::start(int64_t interval_ms) {
  stopping_ = false;
  thread_ = std::thread([this, interval_ms] {
    while (true) {
      auto result = run_once();
      if (!result.ok()) {
        metrics_.add_export_failure();
        log_error("export: " + result.status().to_string());
      } else if (result->files_written > 0 || result->files_deleted > 0) {
        log_info("export: " + std::to_string(result->batches) + " windows, " + std::to_string(result->files_written) +
                 " files written, " + std::to_string(result->files_deleted) + " files deleted");
      }
      std::unique_lock<std::mutex> lock(wake_mutex_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; })) return;
    }
  });
}

void ExportWorker::stop() {
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
