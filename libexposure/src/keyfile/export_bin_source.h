// The byte stream export.bin is parsed from: a zip entry, a file or memory, with the size
// limit enforced and the hashes of every byte computed as they pass. Internal.
#pragma once

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>

#include "exposure/crypto.h"
#include "exposure/keyfile_format.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// Reads up to `size` bytes into `out`: the count, 0 at the end, or an error Status.
using RawRead = std::function<Result<int>(uint8_t* out, int size)>;

// Functions reading from a stdio FILE (owned by the caller) and from memory.
RawRead file_raw_read(std::FILE* file);
RawRead memory_raw_read(ByteView data);

class ExportBinSource final : public google::protobuf::io::CopyingInputStream {
 public:
  ExportBinSource(RawRead raw, uint64_t max_bytes, bool with_sha512);
  ~ExportBinSource() override;

  int Read(void* buffer, int size) override;

  // Why the last Read failed (Ok when it did not).
  const Status& status() const { return status_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // Finalises the hashes; call once, after the last byte was read.
  ExportDigests finish_digests();

 private:
  RawRead raw_;
  uint64_t max_bytes_;
  uint64_t bytes_read_ = 0;
  Status status_;
  crypto::Sha256 sha256_;
  std::unique_ptr<crypto_hash_sha512_state> sha512_;
};

}  // namespace exposure::keyfile
