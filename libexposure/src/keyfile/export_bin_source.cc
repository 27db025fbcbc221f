#include "export_bin_source.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace exposure::keyfile {

RawRead file_raw_read(std::FILE* file) {
  return [file](uint8_t* out, int size) -> Result<int> {
    size_t n = std::fread(out, 1, static_cast<size_t>(size), file);
    if (n == 0 && std::ferror(file)) return Status(ErrorCode::kIoError, "read error");
    return static_cast<int>(n);
  };
}

RawRead memory_raw_read(ByteView data) {
  return [data, offset = size_t{0}](uint8_t* out, int size) mutable -> Result<int> {
    size_t n = std::min(static_cast<size_t>(size), data.size() - offset);
    if (n > 0) std::memcpy(out, data.data() + offset, n);
    offset += n;
    return static_cast<int>(n);
  };
}

ExportBinSource::ExportBinSource(RawRead raw, uint64_t max_bytes, bool with_sha512)
    : raw_(std::move(raw)), max_bytes_(max_bytes) {
  if (with_sha512) {
    sha512_ = std::make_unique<crypto_hash_sha512_state>();
    crypto_hash_sha512_init(sha512_.get());
  }
}

ExportBinSource::~ExportBinSource() = default;

int ExportBinSource::Read(void* buffer, int size) {
  if (!status_.ok()) return -1;
  auto* out = static_cast<uint8_t*>(buffer);
  Result<int> n = raw_(out, size);
  if (!n.ok()) {
    status_ = n.status();
    return -1;
  }
  if (*n == 0) return 0;
  bytes_read_ += static_cast<uint64_t>(*n);
  if (bytes_read_ > max_bytes_) {
    status_ = Status(ErrorCode::kResourceExhausted,
                     "more than the limit of " + std::to_string(max_bytes_) + " bytes");
    return -1;
  }
  ByteView chunk(out, static_cast<size_t>(*n));
  sha256_.update(chunk);
  if (sha512_) crypto_hash_sha512_update(sha512_.get(), chunk.data(), chunk.size());
  return *n;
}

ExportDigests ExportBinSource::finish_digests() {
  ExportDigests d;
  d.sha256 = sha256_.finish();
  if (sha512_) {
    std::array<uint8_t, 64> h{};
    crypto_hash_sha512_final(sha512_.get(), h.data());
    d.sha512 = h;
  }
  return d;
}

}  // namespace exposure::keyfile
