// Diagnosis keys streamed from export files for the matcher: files are read one after the
// other, one key in memory at a time, and each archive's signatures are checked when its
// last key has been read (so a file that fails verification stops matching with an error
// naming it, before any result is returned).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/keyfile.h"
#include "exposure/matching.h"

namespace exposure {

struct ExportKeySourceStats {
  uint64_t files = 0;
  uint64_t keys = 0;           // keys (field 7) handed out
  uint64_t revised_keys = 0;   // revised_keys (field 8), not matched (see docs/matching.md)
  uint64_t invalid_keys = 0;   // keys the reader rejected (out-of-range fields), skipped
};

// An archive already in memory (downloaded), named for messages (e.g. its index line).
struct ExportBytes {
  std::string name;
  ByteView data;  // must outlive the source
};

class ExportFilesKeySource final : public DiagnosisKeySource {
 public:
  // As below, over archives in memory: each is read and verified in the same single pass.
  ExportFilesKeySource(std::vector<ExportBytes> archives, std::vector<keyfile::CosignSet> cosign_sets,
                       bool skip_verification);
  // `paths`: signed archives or bare export.bin files. Without `cosign_sets` (and with
  // `skip_verification`), files are not verified and bare export.bin files are allowed;
  // otherwise every file must be an archive that verifies against one of the sets.
  ExportFilesKeySource(std::vector<std::string> paths, std::vector<keyfile::CosignSet> cosign_sets,
                       bool skip_verification);
  ~ExportFilesKeySource() override;

  // The next key of field 7 of the current file, moving to the next file at the end. Errors
  // start with the file's path: "<path>: <reader or verification error>".
  Result<std::optional<DiagnosisKey>> next() override;

  const ExportKeySourceStats& stats() const { return stats_; }

 private:
  Status finish_current_file();

  std::vector<std::string> paths_;  // names, for archives in memory
  std::vector<ByteView> bytes_;     // empty when reading files
  std::vector<keyfile::CosignSet> cosign_sets_;
  bool skip_verification_;
  size_t next_file_ = 0;
  std::unique_ptr<keyfile::ExportReader> reader_;
  ExportKeySourceStats stats_;
};

}  // namespace exposure
