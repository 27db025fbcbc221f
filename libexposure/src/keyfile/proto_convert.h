// Conversions between the generated protobuf messages of export.proto and the library's
// values. Internal to the keyfile module.
#pragma once

#include <string>

#include "exposure/diagnosis_key.h"
#include "exposure/keyfile_format.h"
#include "exposure/status.h"
#include "keyfile/export.pb.h"

namespace exposure::keyfile {

// Decodes one TemporaryExposureKey (defaults applied) and validates it. Errors name the
// field, not the index: the caller adds "keys[i]: ".
Result<DiagnosisKey> key_from_proto(const pb::TemporaryExposureKey& proto);
// Fills `proto` (cleared first) the way the reference server writes a key.
void key_to_proto(const DiagnosisKey& key, pb::TemporaryExposureKey* proto);

SignatureInfo signature_info_from_proto(const pb::SignatureInfo& proto);
void signature_info_to_proto(const SignatureInfo& info, pb::SignatureInfo* proto);

TekSignature tek_signature_from_proto(const pb::TEKSignature& proto);
void tek_signature_to_proto(const TekSignature& signature, pb::TEKSignature* proto);

}  // namespace exposure::keyfile
