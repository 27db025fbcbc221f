// export.sig bytes -> the archive path that reads them: a zip holding the real export.bin of
// tests/data/server-example-2-keys.zip and the fuzzed export.sig, read and verified with the
// real key ("some_id-1"). Covers the TEKSignatureList parse and every signature rule.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exposure/keyfile.h"
#include "fuzz_support.h"
#include "keyfile/zip_io.h"
#include "signing_keys_fuzz.h"

namespace {

std::string export_bin;  // of server-example-2-keys.zip

exposure::Result<exposure::Bytes> archive_with(exposure::ByteView export_sig) {
  using namespace exposure;
  return keyfile::write_zip({{std::string(keyfile::kExportBinEntry), as_bytes(export_bin)},
                             {std::string(keyfile::kExportSigEntry), export_sig}},
                            /*compression_level=*/1);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace exposure;
  std::string original = fuzz::read_test_data("server-example-2-keys.zip");
  auto zip = keyfile::ZipReader::open_bytes(as_bytes(original));
  fuzz::require(zip.ok() && (*zip)->open_entry(keyfile::kExportBinEntry).ok(), "export.bin entry");
  uint8_t chunk[4096];
  for (int n; (n = (*zip)->read(chunk, sizeof chunk)) > 0;) export_bin.append(reinterpret_cast<char*>(chunk), n);
  fuzz::require((*zip)->close_entry().ok() && !export_bin.empty(), "export.bin entry reads");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  auto archive = archive_with(ByteView(data, size));
  if (!archive.ok()) std::abort();
  Status verified = keyfile::verify_export_bytes(*archive, fuzz::test_data_cosign_sets());
  if (!verified.ok() && verified.message().empty()) std::abort();
  return 0;
}
