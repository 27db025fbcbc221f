// Thin, checked wrappers over minizip for export archives: reading entries from a zip on
// disk or in memory in chunks, and writing a deterministic zip into memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// One entry as listed in the central directory.
struct ZipEntryInfo {
  std::string name;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  bool encrypted = false;
  int compression_method = 0;  // 0 stored, 8 DEFLATE
  uint32_t dos_date = 0;       // DOS date and time as stored
};

// A zip archive opened for reading. Entries are streamed: open_entry() then read() in
// chunks; minizip never produces more than an entry's declared size, and close_entry()
// checks the CRC once the entry was read to its end.
class ZipReader {
 public:
  static Result<std::unique_ptr<ZipReader>> open_path(const std::string& path);
  // `data` must outlive the reader.
  static Result<std::unique_ptr<ZipReader>> open_bytes(ByteView data);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // Every entry of the central directory, in order. Names longer than 1024 bytes are an
  // error.
  Result<std::vector<ZipEntryInfo>> list_entries();
  // Makes `name` the entry read() reads from.
  Status open_entry(std::string_view name);
  // Reads up to `size` bytes of the open entry; 0 at its end, -1 on an error (corrupt
  // deflate data, I/O).
  int read(uint8_t* out, int size);
  // Closes the open entry; kMalformed on a CRC mismatch after a complete read.
  Status close_entry();

 private:
  struct Impl;
  explicit ZipReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ZipEntryData {
  std::string name;
  ByteView data;
};

// A zip of `entries` in the order given: DEFLATE, zero DOS timestamps, no extra fields, no
// comments, so equal input gives equal bytes.
Result<Bytes> write_zip(const std::vector<ZipEntryData>& entries, int compression_level);

}  // namespace exposure::keyfile
