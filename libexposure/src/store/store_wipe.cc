// Wiping a store: overwrite every store file with zeros, sync, unlink.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "exposure/store.h"

namespace exposure {
namespace {

Status errno_status(const std::string& what) {
  return {ErrorCode::kIoError, what + ": " + std::strerror(errno)};
}

// Overwrites the whole file with zeros, syncs it and unlinks it. Ok when it does not exist.
Status overwrite_and_unlink(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == ENOENT ? Status::Ok() : errno_status("opening " + path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status status = errno_status("reading the size of " + path);
    ::close(fd);
    return status;
  }
  static const std::array<uint8_t, 65536> kZeros{};
  off_t done = 0;
  while (done < st.st_size) {
    const size_t n = static_cast<size_t>(std::min<off_t>(st.st_size - done, kZeros.size()));
    ssize_t written = ::pwrite(fd, kZeros.data(), n, done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      Status status = errno_status("overwriting " + path);
      ::close(fd);
      return status;
    }
    done += written;
  }
  if (::fsync(fd) != 0) {
    Status status = errno_status("syncing " + path);
    ::close(fd);
    return status;
  }
  ::close(fd);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_status("deleting " + path);
  return Status::Ok();
}

}  // namespace

Status wipe_store(const std::string& directory) {
  const std::string db_path = store_database_path(directory);
  for (const char* suffix : {"-wal", "-shm", "-journal", ""}) {
    EXPOSURE_RETURN_IF_ERROR(overwrite_and_unlink(db_path + suffix));
  }
  int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return errno == ENOENT ? Status::Ok() : errno_status("opening " + directory);
  ::fsync(dir_fd);  // make the unlinks durable
  ::close(dir_fd);
  // Remove the directory only when the store was all it held.
  if (::rmdir(directory.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
    return errno_status("removing " + directory);
  }
  return Status::Ok();
}

}  // namespace exposure
