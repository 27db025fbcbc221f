#include "distribution/export_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <string_view>

#include "common/text.h"
#include "export/atomic_file.h"
#include "exposure/crypto.h"

namespace exposure::server {
namespace {

constexpr size_t kMaxCachedBytes = size_t{256} << 20;

// Consumes 1..max_digits decimal digits from the front of `s`.
bool take_digits(std::string_view& s, size_t max_digits, int64_t* value) {
  size_t n = 0;
  int64_t v = 0;
  while (n < s.size() && n < max_digits && s[n] >= '0' && s[n] <= '9') v = v * 10 + (s[n++] - '0');
  if (n == 0 || (n < s.size() && s[n] >= '0' && s[n] <= '9')) return false;
  s.remove_prefix(n);
  *value = v;
  return true;
}

// "index.txt", "list.json" or an archive name.
bool is_servable_name(const std::string& name) {
  return name == "index.txt" || name == "list.json" || is_export_archive_name(name);
}

bool etag_matches(const std::string& header, const std::string& etag) {
  for (const std::string& raw : split_list(header, ',')) {
    std::string tag = raw;
    if (tag == "*") return true;
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);  // weak comparison for If-None-Match
    if (tag == etag) return true;
  }
  return false;
}

// One "bytes=first-last" / "bytes=first-" / "bytes=-suffix" range over `size` bytes. Other
// forms (several ranges, other units, malformed) are ignored: the whole file is served.
enum class RangeResult { kNone, kRange, kUnsatisfiable };
RangeResult parse_range(std::string_view header, int64_t size, int64_t* first, int64_t* last) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return RangeResult::kNone;
  std::string_view s = header.substr(kPrefix.size());
  int64_t a = -1, b = -1;
  if (!s.empty() && s[0] != '-' && !take_digits(s, 18, &a)) return RangeResult::kNone;
  if (s.empty() || s[0] != '-') return RangeResult::kNone;
  s.remove_prefix(1);
  if (!s.empty() && !take_digits(s, 18, &b)) return RangeResult::kNone;
  if (!s.empty() || (a < 0 && b < 0)) return RangeResult::kNone;
  if (a < 0) {  // suffix range
    if (b == 0) return RangeResult::kUnsatisfiable;
    *first = std::max<int64_t>(0, size - b);
    *last = size - 1;
  } else {
    if (b >= 0 && b < a) return RangeResult::kNone;  // invalid: ignored
    *first = a;
    *last = b < 0 ? size - 1 : std::min<int64_t>(b, size - 1);
  }
  if (size == 0 || *first >= size) return RangeResult::kUnsatisfiable;
  return RangeResult::kRange;
}

void serve_slice(httplib::Response& res, std::shared_ptr<const std::string> content, size_t offset, size_t length,
                 const char* content_type) {
  res.set_content_provider(length, content_type,
                           [content, offset](size_t off, size_t len, httplib::DataSink& sink) {
                             sink.write(content->data() + offset + off, len);
                             return true;
                           });
}

}  // namespace

bool is_export_archive_name(const std::string& name) {
  std::string_view s = name;
  int64_t ignored = 0;
  if (!take_digits(s, 12, &ignored) || s.empty() || s[0] != '-') return false;
  s.remove_prefix(1);
  if (!take_digits(s, 12, &ignored) || s.empty() || s[0] != '-') return false;
  s.remove_prefix(1);
  std::string_view rest = s;
  if (!take_digits(s, 5, &ignored) || rest.size() - s.size() != 5) return false;
  return s == ".zip";
}

const char* ExportFileServer::route_pattern() { return "/exports/([A-Za-z0-9_-]{1,32})/([A-Za-z0-9_.-]{1,64})"; }

std::shared_ptr<const ExportFileServer::Cached> ExportFileServer::load(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  const int64_t inode = static_cast<int64_t>(st.st_ino);
  const int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(path);
    if (it != cache_.end() && it->second->inode == inode && it->second->mtime_ns == mtime_ns &&
        it->second->size == st.st_size) {
      return it->second;
    }
  }
  auto bytes = read_file(path);
  if (!bytes.ok()) return nullptr;
  auto entry = std::make_shared<Cached>();
  entry->inode = inode;
  entry->mtime_ns = mtime_ns;
  entry->size = static_cast<int64_t>(bytes->size());
  entry->etag = "\"" + to_hex(crypto::sha256(*bytes)).substr(0, 32) + "\"";
  entry->content = std::make_shared<const std::string>(bytes->begin(), bytes->end());
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_bytes_ + bytes->size() > kMaxCachedBytes) {
    cache_.clear();
    cached_bytes_ = 0;
  }
  auto& slot = cache_[path];
  if (slot) cached_bytes_ -= slot->content->size();
  slot = entry;
  cached_bytes_ += entry->content->size();
  return entry;
}

void ExportFileServer::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string region = req.matches[1].str();
  const std::string name = req.matches[2].str();
  if (!is_servable_name(name)) {
    res.status = 404;
    return;
  }
  auto file = load(root_ + "/" + region + "/" + name);
  if (!file) {
    res.status = 404;
    return;
  }
  const bool archive = name.size() > 4 && name.compare(name.size() - 4, 4, ".zip") == 0;
  const char* content_type = archive ? "application/zip" : (name == "list.json" ? "application/json" : "text/plain");
  res.set_header("ETag", file->etag);
  res.set_header("Cache-Control", archive ? "public, max-age=86400" : "no-cache, max-age=0");
  res.set_header("Accept-Ranges", "bytes");
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), file->etag)) {
    res.status = 304;
    return;
  }
  const int64_t size = file->size;
  int64_t first = 0, last = 0;
  RangeResult range = RangeResult::kNone;
  const bool if_range_ok = !req.has_header("If-Range") || req.get_header_value("If-Range") == file->etag;
  if (req.has_header("Range") && if_range_ok) range = parse_range(req.get_header_value("Range"), size, &first, &last);
  if (range == RangeResult::kUnsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return;
  }
  if (range == RangeResult::kRange) {
    res.status = 206;
    res.set_header("Content-Range",
                   "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size));
    serve_slice(res, file->content, static_cast<size_t>(first), static_cast<size_t>(last - first + 1), content_type);
    return;
  }
  res.status = 200;
  if (size == 0) {
    res.set_content("", content_type);
    return;
  }
  serve_slice(res, file->content, 0, static_cast<size_t>(size), content_type);
}

}  // namespace exposure::server
