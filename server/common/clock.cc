#include "common/clock.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

namespace exposure::server {
namespace {
std::mutex g_file_clock_mutex;
}

Result<std::unique_ptr<FileClock>> FileClock::open(const std::string& path) {
  std::unique_ptr<FileClock> clock(new FileClock(path));
  if (!clock->reload()) {
    return invalid_argument("fake clock file " + path + " must hold Unix seconds");
  }
  return clock;
}

bool FileClock::reload() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return false;
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (static_cast<int64_t>(st.st_ino) == inode_ && mtime_ns == mtime_ns_ && st.st_size == size_) return true;
  std::ifstream in(path_);
  int64_t value = 0;
  if (!(in >> value) || value <= 0) return false;
  now_ = value;
  inode_ = static_cast<int64_t>(st.st_ino);
  mtime_ns_ = mtime_ns;
  size_ = st.st_size;
  return true;
}

int64_t FileClock::now_unix_seconds() const {
  std::lock_guard<std::mutex> lock(g_file_clock_mutex);
  reload();
  return now_;
}

Result<std::unique_ptr<Clock>> make_clock(const std::string& fake_clock_file) {
  if (fake_clock_file.empty()) return std::unique_ptr<Clock>(new SystemClock());
  auto clock = FileClock::open(fake_clock_file);
  if (!clock.ok()) return clock.status();
  return std::unique_ptr<Clock>(std::move(*clock));
}

Status write_fake_clock(const std::string& path, int64_t unix_seconds) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << unix_seconds << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status(ErrorCode::kIoError, "cannot rename " + tmp);
  return Status::Ok();
}

}  // namespace exposure::server
