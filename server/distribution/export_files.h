// Serves the export tree: GET/HEAD /exports/{region}/{file} for the signed archives,
// index.txt and list.json, with a strong ETag (SHA-256 of the content), If-None-Match
// (304), single byte ranges (206 / 416), Content-Length, and the cache headers of the
// reference server (archives public, max-age=86400; indexes no-cache), so a CDN can sit
// in front. Temporary files and any other name are never served.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace exposure::server {

// True for an archive name of the export tree: "<start>-<end>-<file_num as 5 digits>.zip".
bool is_export_archive_name(const std::string& name);

class ExportFileServer {
 public:
  explicit ExportFileServer(std::string root) : root_(std::move(root)) {}

  // The route pattern this handler serves (captures region and file name).
  static const char* route_pattern();
  void handle(const httplib::Request& req, httplib::Response& res);

 private:
  struct Cached {
    int64_t inode = 0, mtime_ns = 0, size = 0;
    std::shared_ptr<const std::string> content;
    std::string etag;
  };
  std::shared_ptr<const Cached> load(const std::string& path);

  std::string root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Cached>> cache_;
  size_t cached_bytes_ = 0;
};

}  // namespace exposure::server
