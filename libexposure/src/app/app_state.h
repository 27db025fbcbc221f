// The byte form of the app module's store records (AppStateSlot::kUpload and kCheck): JSON
// objects, sealed by the store like every record.
//
//   upload: {"revision_token": s, "uploads": [{"time", "flow", "test_type",
//            "keys": [{"key": base64, "start", "period"}]}]}
//   check:  {"region": s, "processed": [name], "notified_days": [day], "last_check",
//            "matched": [{"key": base64, "start", "period", "trl", "report_type", "dso"|null}]}
#pragma once

#include "exposure/app.h"
#include "exposure/secure.h"

namespace exposure::app_internal {

// Encoded records are secret: the returned buffer wipes itself.
class SecretText {
 public:
  explicit SecretText(std::string text) : text_(std::move(text)) {}
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  ~SecretText();
  ByteView bytes() const { return as_bytes(text_); }

 private:
  std::string text_;
};

// Reads the record of `slot` from `store` and decodes it with `decode`; a default State when
// none was ever saved. The record's bytes are wiped once decoded.
template <typename State>
Result<State> load_state(Store& store, AppStateSlot slot, Status (*decode)(ByteView, State*)) {
  Bytes bytes;
  EXPOSURE_RETURN_IF_ERROR(store.load_app_state(slot, &bytes));
  State state;
  Status decoded = bytes.empty() ? Status::Ok() : decode(bytes, &state);
  secure_wipe(bytes.data(), bytes.size());
  if (!decoded.ok()) return decoded;
  return state;
}

SecretText encode_upload_state(const app::UploadState& state);
Status decode_upload_state(ByteView bytes, app::UploadState* out);  // kCorrupt on bad bytes

SecretText encode_check_state(const app::CheckState& state);
Status decode_check_state(ByteView bytes, app::CheckState* out);  // kCorrupt on bad bytes

}  // namespace exposure::app_internal
