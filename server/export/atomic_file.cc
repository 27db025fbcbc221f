#include "export/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/text.h"

namespace exposure::server {
namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kIoError, what + " " + path + ": " + std::strerror(errno));
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Status write_file_atomically(const std::string& path, ByteView data) {
  const std::string dir = directory_of(path);
  const std::string temp = dir + "/" + kTempFilePrefix + base_name(path) + "-" + random_base64url(6);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create", temp);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status st = io_error("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = io_error("cannot fsync", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return st;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status st = io_error("cannot rename onto", path);
    ::unlink(temp.c_str());
    return st;
  }
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

Status make_directories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create directory " + dir + ": " + ec.message());
  return Status::Ok();
}

int remove_stale_temp_files(const std::string& dir) {
  int removed = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (dirent* entry = ::readdir(d)) {
    if (std::strncmp(entry->d_name, kTempFilePrefix, std::strlen(kTempFilePrefix)) == 0) {
      if (::unlink((dir + "/" + entry->d_name).c_str()) == 0) ++removed;
    }
  }
  ::closedir(d);
  return removed;
}

Result<Bytes> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status(ErrorCode::kNotFound, "no file " + path);
    return io_error("cannot open", path);
  }
  Bytes out;
  uint8_t buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = io_error("cannot read", path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

}  // namespace exposure::server
