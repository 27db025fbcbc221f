// Drives an ExportReader over untrusted bytes the way a device does: every record, invalid
// keys skipped, until the end or a final error. Shared by the export.bin and zip targets.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "exposure/keyfile_reader.h"

namespace exposure::fuzz {

struct ReadOutcome {
  bool opened = false;
  bool finished = false;
  size_t keys = 0, revised_keys = 0, invalid_keys = 0;
};

// Reads everything; aborts when the reader breaks its own contract (an error after the
// end, a reader both finished and failed, more bytes consumed than the input holds).
// `keep`, when given, receives the reader (null when it did not open).
inline ReadOutcome read_everything(ByteView data, std::unique_ptr<keyfile::ExportReader>* keep = nullptr) {
  ReadOutcome out;
  auto opened = keyfile::ExportReader::open_bytes(data);
  if (!opened.ok()) {
    if (opened.status().message().empty()) std::abort();  // errors always say what was wrong
    return out;
  }
  out.opened = true;
  keyfile::ExportReader& reader = **opened;
  for (;;) {
    auto record = reader.next();
    if (!record.ok()) {
      if (record.status().message().empty()) std::abort();
      if (reader.stream_failed()) break;
      ++out.invalid_keys;
      continue;
    }
    if (!record->has_value()) break;
    ++((*record)->list == keyfile::KeyList::kKeys ? out.keys : out.revised_keys);
  }
  out.finished = reader.finished();
  if (out.finished == reader.stream_failed()) std::abort();
  if (out.finished) {
    auto again = reader.next();  // stays at the end
    if (!again.ok() || again->has_value()) std::abort();
  }
  if (!reader.is_archive() && reader.export_bin_bytes_read() > data.size()) std::abort();
  if (keep) *keep = std::move(*opened);
  return out;
}

}  // namespace exposure::fuzz
