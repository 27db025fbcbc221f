// export.zip bytes -> ExportReader (zip entry checks, export.sig, streamed export.bin), then
// signature verification against the real keys of tests/data when the archive reads to its
// end. The two archives of tests/data must verify unchanged (checked at start-up).
#include <cstdint>
#include <cstdlib>

#include "export_reader_fuzz.h"
#include "exposure/keyfile_verify.h"
#include "signing_keys_fuzz.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace exposure;
  for (const char* name : {"server-example-2-keys.zip", "internals-sample-140-keys.zip"}) {
    std::string archive = fuzz::read_test_data(name);
    fuzz::require(keyfile::verify_export_bytes(as_bytes(archive), fuzz::test_data_cosign_sets()).ok(),
                  "an archive of tests/data does not verify");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  std::unique_ptr<keyfile::ExportReader> reader;
  fuzz::ReadOutcome outcome = fuzz::read_everything(ByteView(data, size), &reader);
  if (!outcome.finished || !reader->is_archive()) return 0;
  Status verified = keyfile::verify_signatures(*reader, fuzz::test_data_cosign_sets());
  if (!verified.ok() && verified.message().empty()) std::abort();
  return 0;
}
