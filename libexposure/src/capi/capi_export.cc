// C ABI: diagnosis-key export files, read and verified (exposure.h).
#include "capi/capi_convert.h"
#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/keyfile.h"

using namespace exposure;
using namespace exposure::capi;

namespace {

Status hand_out_contents(const Result<keyfile::ExportContents>& contents, exposure_diagnosis_key** out,
                         size_t* out_count) {
  if (!contents.ok()) return contents.status();
  hand_out<exposure_diagnosis_key, DiagnosisKey>(contents->keys, out, out_count);
  return Status::Ok();
}

Status require_outputs(const void* out, const size_t* out_count) {
  EXPOSURE_RETURN_IF_ERROR(require(out, "out"));
  return require(out_count, "out_count");
}

}  // namespace

extern "C" {

void exposure_free_diagnosis_keys(exposure_diagnosis_key* keys) { std::free(keys); }

exposure_status exposure_verify_export_file(const char* path, const exposure_public_key* keys, size_t key_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(path, "path"));
    auto sets = cosign_sets_from_c(keys, key_count);
    if (!sets.ok()) return sets.status();
    if (sets->empty()) return invalid_argument("no public key given to verify with");
    Status verified = keyfile::verify_export_path(path, *sets);
    if (!verified.ok()) return Status(verified.code(), std::string(path) + ": " + verified.message());
    return Status::Ok();
  });
}

exposure_status exposure_verify_export_bytes(const uint8_t* data, size_t length, const exposure_public_key* keys,
                                             size_t key_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_array(data, length, "data"));
    auto sets = cosign_sets_from_c(keys, key_count);
    if (!sets.ok()) return sets.status();
    if (sets->empty()) return invalid_argument("no public key given to verify with");
    return keyfile::verify_export_bytes(ByteView(data, length), *sets);
  });
}

exposure_status exposure_read_export_file(const char* path, exposure_diagnosis_key** out, size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require(path, "path"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    auto contents = keyfile::read_export_path(path);
    if (!contents.ok()) return Status(contents.status().code(), std::string(path) + ": " + contents.status().message());
    return hand_out_contents(contents, out, out_count);
  });
}

exposure_status exposure_read_export_bytes(const uint8_t* data, size_t length, exposure_diagnosis_key** out,
                                           size_t* out_count) {
  return guarded([&] {
    EXPOSURE_RETURN_IF_ERROR(require_array(data, length, "data"));
    EXPOSURE_RETURN_IF_ERROR(require_outputs(out, out_count));
    return hand_out_contents(keyfile::read_export_bytes(ByteView(data, length)), out, out_count);
  });
}

}  // extern "C"
