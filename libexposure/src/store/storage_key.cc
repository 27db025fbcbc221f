// Storage keys: generation and the key-file format (32 raw bytes or 64 hex digits).
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exposure/store.h"
#include "store/sealing.h"

namespace exposure {
namespace {

bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Reads a whole small file into `out` (at most `limit` bytes; more is an error).
Status read_small_file(const std::string& path, size_t limit, Bytes* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {ErrorCode::kIoError, path + ": " + std::strerror(errno)};
  out->assign(limit + 1, 0);
  size_t used = 0;
  while (used < out->size()) {
    ssize_t n = ::read(fd, out->data() + used, out->size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return {ErrorCode::kIoError, path + ": " + std::strerror(err)};
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  if (used > limit) {
    secure_wipe(out->data(), out->size());
    return invalid_argument(path + ": key file longer than " + std::to_string(limit) + " bytes");
  }
  out->resize(used);
  return Status::Ok();
}

}  // namespace

StorageKey generate_storage_key() {
  store_internal::ensure_sodium_initialized();
  StorageKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

Result<StorageKey> parse_storage_key(ByteView contents) {
  StorageKey key;
  if (contents.size() == key.size()) {
    std::memcpy(key.data(), contents.data(), key.size());
    return key;
  }
  size_t begin = 0, end = contents.size();
  while (begin < end && is_space(contents[begin])) ++begin;
  while (end > begin && is_space(contents[end - 1])) --end;
  const size_t hex_size = end - begin;
  size_t decoded = 0;
  if (hex_size == 2 * key.size() &&
      sodium_hex2bin(key.data(), key.size(), reinterpret_cast<const char*>(contents.data() + begin),
                     hex_size, nullptr, &decoded, nullptr) == 0 &&
      decoded == key.size()) {
    return key;
  }
  return invalid_argument("expected 32 raw bytes or 64 hex digits, got " +
                          std::to_string(contents.size()) + " bytes of another form");
}

Result<StorageKey> read_storage_key_file(const std::string& path) {
  Bytes contents;
  EXPOSURE_RETURN_IF_ERROR(read_small_file(path, 256, &contents));
  auto key = parse_storage_key(contents);
  secure_wipe(contents.data(), contents.size());
  if (!key.ok()) return invalid_argument(path + ": " + key.status().message());
  return key;
}

Status write_storage_key_file(const std::string& path, const StorageKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    ErrorCode code = errno == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kIoError;
    return {code, path + ": " + std::strerror(errno)};
  }
  char hex[2 * 32 + 2];
  sodium_bin2hex(hex, sizeof(hex) - 1, key.data(), key.size());
  hex[64] = '\n';
  size_t written = 0;
  int err = 0;
  while (written < 65) {
    ssize_t n = ::write(fd, hex + written, 65 - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    written += static_cast<size_t>(n);
  }
  secure_wipe(hex, sizeof(hex));
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  ::close(fd);
  if (err != 0) {
    ::unlink(path.c_str());
    return {ErrorCode::kIoError, path + ": " + std::strerror(err)};
  }
  return Status::Ok();
}

}  // namespace exposure
