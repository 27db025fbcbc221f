// The federation tree this server offers its partners: GET/HEAD /federation/{region}/{file}
// (docs/server.md, "Federation"; on with --federation-feed). It mirrors the apps' export
// tree (distribution/export_files.h): the same index.txt and the same archive names, so a
// partner reads it as any export tree. Each archive holds only the keys of local provenance
// (uploaded to this server) among the keys of the export file of the same name: no padding,
// no keys imported from partners. So imported keys never travel back to a partner, and no
// key goes round between two servers. Archives are re-signed with every active signing key
// and kept in memory (bounded) until the export file changes.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/secrets.h"
#include "exposure/bytes.h"
#include "exposure/status.h"
#include "storage/storage.h"

namespace exposure::server {

class FederationFeed {
 public:
  FederationFeed(Storage& storage, const ServerSecrets& secrets, std::string export_root);

  // The route pattern served (captures region and file name).
  static const char* route_pattern();
  void handle(const httplib::Request& req, httplib::Response& res);

  // The partner archive for the export file `region`/`name`: kNotFound when the export file
  // does not exist, storage and signing errors otherwise.
  Result<std::shared_ptr<const Bytes>> archive(const std::string& region, const std::string& name);

 private:
  struct Cached {
    int64_t inode = 0, mtime_ns = 0, size = 0;  // of the export file it was made from
    std::shared_ptr<const Bytes> archive;
  };
  Result<Bytes> build(const std::string& path);

  Storage& storage_;
  const ServerSecrets& secrets_;
  std::string root_;
  std::mutex mutex_;
  std::map<std::string, Cached> cache_;
  size_t cached_bytes_ = 0;
};

}  // namespace exposure::server
