// Bare export.bin bytes -> ExportReader (streaming parser). When the stream reads to its
// end with no invalid key, protobuf's own parser of TemporaryExposureKeyExport must agree
// on the key counts and the metadata.
#include <cstdint>
#include <cstdlib>

#include "export_reader_fuzz.h"
#include "exposure/keyfile_format.h"
#include "keyfile/export.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  std::unique_ptr<keyfile::ExportReader> reader;
  fuzz::ReadOutcome outcome = fuzz::read_everything(ByteView(data, size), &reader);
  if (!outcome.finished || outcome.invalid_keys != 0 || reader->is_archive()) return 0;

  const size_t header = keyfile::kExportBinHeader.size();
  keyfile::pb::TemporaryExposureKeyExport message;
  if (!message.ParseFromArray(data + header, static_cast<int>(size - header))) std::abort();
  const keyfile::ExportMetadata& m = reader->metadata();
  if (static_cast<size_t>(message.keys_size()) != outcome.keys ||
      static_cast<size_t>(message.revised_keys_size()) != outcome.revised_keys ||
      message.start_timestamp() != m.start_timestamp || message.end_timestamp() != m.end_timestamp ||
      message.region() != m.region || message.has_batch_num() != m.batch_num.has_value() ||
      message.has_batch_size() != m.batch_size.has_value() ||
      static_cast<size_t>(message.signature_infos_size()) != m.signature_infos.size()) {
    std::abort();
  }
  if (m.batch_num && *m.batch_num != message.batch_num()) std::abort();
  if (m.batch_size && *m.batch_size != message.batch_size()) std::abort();
  return 0;
}
