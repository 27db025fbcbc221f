#include "federation/federation_feed.h"

#include <sys/stat.h>

#include <set>

#include "common/text.h"
#include "distribution/export_files.h"
#include "export/atomic_file.h"
#include "export/export_worker.h"
#include "exposure/keyfile.h"

namespace exposure::server {
namespace {

constexpr size_t kMaxCachedBytes = size_t{64} << 20;

// The keys of `list` whose key data is in `local`, in their order.
std::vector<DiagnosisKey> only(const std::vector<DiagnosisKey>& list,
                               const std::set<KeyData>& local) {
  std::vector<DiagnosisKey> out;
  for (const DiagnosisKey& k : list) {
    if (local.count(k.key_data)) out.push_back(k);
  }
  return out;
}

}  // namespace

FederationFeed::FederationFeed(Storage& storage, const ServerSecrets& secrets,
                               std::string export_root)
    : storage_(storage), secrets_(secrets), root_(std::move(export_root)) {}

const char* FederationFeed::route_pattern() {
  return "/federation/([A-Za-z0-9_-]{1,32})/([A-Za-z0-9_.-]{1,64})";
}

Result<Bytes> FederationFeed::build(const std::string& path) {
  auto contents = keyfile::read_export_path(path);
  if (!contents.ok())
    return Status(contents.status().code(), path + ": " + contents.status().message());
  std::vector<KeyData> all;
  for (const auto* list : {&contents->keys, &contents->revised_keys}) {
    for (const DiagnosisKey& k : *list) all.push_back(k.key_data);
  }
  std::set<KeyData> local;
  EXPOSURE_RETURN_IF_ERROR(storage_.read([&](Transaction& tx) -> Status {
    auto stored = tx.exposures().find_exposures(all);
    if (!stored.ok()) return stored.status();
    local.clear();
    for (const Exposure& e : *stored) {
      if (e.local_provenance) local.insert(e.key_data);
    }
    return Status::Ok();
  }));
  auto signers = load_signing_keys(storage_, secrets_);
  if (!signers.ok()) return signers.status();
  if (signers->empty()) return Status(ErrorCode::kFailedPrecondition, "no active signing key");
  // The export file's metadata (window, region, batch) with this server's signers.
  keyfile::ExportMetadata metadata = contents->metadata;
  metadata.signature_infos.clear();
  for (const keyfile::SigningKey& s : *signers)
    metadata.signature_infos.push_back(keyfile::signature_info_for(s));
  const Bytes bin = keyfile::serialize_export_bin(metadata, only(contents->keys, local),
                                                  only(contents->revised_keys, local));
  const Bytes sig = keyfile::serialize_export_sig(keyfile::sign_export_bin(bin, *signers));
  return keyfile::write_export_archive(bin, sig);
}

Result<std::shared_ptr<const Bytes>> FederationFeed::archive(const std::string& region,
                                                             const std::string& name) {
  const std::string path = root_ + "/" + region + "/" + name;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status(ErrorCode::kNotFound, region + "/" + name + ": no such export file");
  }
  const int64_t inode = static_cast<int64_t>(st.st_ino);
  const int64_t mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(path);
    if (it != cache_.end() && it->second.inode == inode && it->second.mtime_ns == mtime_ns &&
        it->second.size == st.st_size) {
      return it->second.archive;
    }
  }
  auto built = build(path);
  if (!built.ok()) return built.status();
  auto shared = std::make_shared<const Bytes>(std::move(*built));
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_bytes_ + shared->size() > kMaxCachedBytes) {
    cache_.clear();
    cached_bytes_ = 0;
  }
  Cached& slot = cache_[path];
  if (slot.archive) cached_bytes_ -= slot.archive->size();
  slot = Cached{inode, mtime_ns, static_cast<int64_t>(st.st_size), shared};
  cached_bytes_ += shared->size();
  return shared;
}

void FederationFeed::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string region = req.matches[1].str();
  const std::string name = req.matches[2].str();
  res.set_header("Cache-Control", "no-cache, max-age=0");
  if (name == "index.txt") {
    auto index = read_file(root_ + "/" + region + "/index.txt");
    if (!index.ok()) {
      res.status = 404;
      return;
    }
    res.status = 200;
    res.set_content(std::string(index->begin(), index->end()), "text/plain");
    return;
  }
  if (!is_export_archive_name(name)) {
    res.status = 404;
    return;
  }
  auto built = archive(region, name);
  if (!built.ok()) {
    res.status = built.status().code() == ErrorCode::kNotFound ? 404 : 503;
    if (res.status != 404) log_error("federation feed: " + built.status().to_string());
    return;
  }
  res.status = 200;
  res.set_content(std::string((*built)->begin(), (*built)->end()), "application/zip");
}

}  // namespace exposure::server
