// Streaming reader for diagnosis-key files: a signed archive (export.zip holding export.bin
// and export.sig) or a bare export.bin, from a path or from bytes in memory.
//
// Keys come out one at a time; memory use does not grow with the number of keys in the
// file (export.bin is inflated and parsed in small chunks). While export.bin streams by,
// its hashes are computed so the signatures can be checked afterwards without a second
// pass (see keyfile_verify.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/diagnosis_key.h"
#include "exposure/keyfile_format.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// Size limits applied to untrusted files. Exceeding one is a kResourceExhausted error, found
// while inflating (a zip bomb stops at the limit, whatever sizes the archive claims).
struct ReaderLimits {
  uint64_t max_export_bin_bytes = 256ull << 20;  // ~ 9 million keys
  uint64_t max_export_sig_bytes = 64ull << 10;
  size_t max_signature_infos = 64;
  size_t max_region_bytes = 256;
};

// Which repeated field of export.bin a key came from.
enum class KeyList { kKeys, kRevisedKeys };

// One key as read from the file, with its position for error messages and bookkeeping.
struct ExportKeyRecord {
  DiagnosisKey key;
  KeyList list = KeyList::kKeys;
  size_t index = 0;  // 0-based position within its list
};

class ExportReader {
 public:
  // Opens a file on disk. An archive is recognised by its zip signature ("PK\3\4" or
  // "PK\5\6"); anything else is read as a bare export.bin. For an archive, the entries
  // are checked first: exactly one export.bin and one export.sig, no other names, no path
  // components, declared sizes within `limits`; export.sig is read and parsed; then
  // export.bin's 16-byte header is checked.
  static Result<std::unique_ptr<ExportReader>> open_path(const std::string& path,
                                                         const ReaderLimits& limits = {});
  // As open_path, over bytes in memory. `data` must stay alive while the reader is used.
  static Result<std::unique_ptr<ExportReader>> open_bytes(ByteView data,
                                                          const ReaderLimits& limits = {});
  ~ExportReader();
  ExportReader(const ExportReader&) = delete;
  ExportReader& operator=(const ExportReader&) = delete;

  // The next key of `keys` (field 7) or `revised_keys` (field 8), in file order, with the
  // defaults applied (absent rolling_period = 144); std::nullopt at the end of the file.
  // Unknown fields are skipped.
  //
  // A key that fails validation (key_data not 16 bytes, rolling_period outside 1..144,
  // transmission risk outside 0..8, days since onset outside -14..14, unknown report type,
  // negative rolling start) gives a kMalformed error naming the list and index,
  // e.g. "keys[3]: rolling_period 0 out of range 1..144"; the reader stays usable and the
  // following call continues with the next key. Any other error (truncated or malformed
  // protobuf, size limit, I/O) is final: stream_failed() turns true and every later call
  // returns the same error.
  Result<std::optional<ExportKeyRecord>> next();

  // True once next() returned std::nullopt.
  bool finished() const;
  // True after an error that ends the stream.
  bool stream_failed() const;
  // True when the input was an archive (and so carries signatures).
  bool is_archive() const;

  // The fields of export.bin other than keys, as read so far. Fields may appear anywhere
  // in the message, so the metadata is complete only once finished().
  const ExportMetadata& metadata() const;
  // The parsed export.sig (empty for a bare export.bin).
  const std::vector<TekSignature>& signatures() const;
  // Hashes of the whole export.bin including its header. Valid once finished().
  const ExportDigests& digests() const;
  // Bytes of export.bin consumed so far (header included).
  uint64_t export_bin_bytes_read() const;

 private:
  struct Impl;
  explicit ExportReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A whole file in memory, for small files and tools.
struct ExportContents {
  ExportMetadata metadata;
  std::vector<DiagnosisKey> keys;
  std::vector<DiagnosisKey> revised_keys;
  std::vector<TekSignature> signatures;  // empty for a bare export.bin
  ExportDigests digests;
};

// Reads every key of a file; fails on the first invalid key or malformed byte.
Result<ExportContents> read_export_path(const std::string& path, const ReaderLimits& limits = {});
Result<ExportContents> read_export_bytes(ByteView data, const ReaderLimits& limits = {});

}  // namespace exposure::keyfile
