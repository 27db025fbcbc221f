// Diagnosis-key export files (export.zip = export.bin + export.sig): the constants and the
// plain values shared by the reader, the verifier and the writer. See docs/keyfile.md and
// the format description in the project's key-export specification.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/diagnosis_key.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// The 16 bytes every export.bin starts with ("EK Export v1" and four spaces).
inline constexpr std::string_view kExportBinHeader = "EK Export v1    ";
inline constexpr std::string_view kExportBinEntry = "export.bin";
inline constexpr std::string_view kExportSigEntry = "export.sig";

// Signature algorithm OIDs. ECDSA P-256 with SHA-256 is what servers write; devices also
// accept ECDSA with SHA-512. Any other OID is an error.
inline constexpr std::string_view kEcdsaSha256Oid = "1.2.840.10045.4.3.2";
inline constexpr std::string_view kEcdsaSha512Oid = "1.2.840.10045.4.3.4";

// Records (keys + revised keys) per file written by default (EXPORT_FILE_MAX_RECORDS).
inline constexpr size_t kDefaultMaxRecordsPerFile = 500000;
// Largest batch_size a verifier accepts.
inline constexpr int32_t kMaxBatchSize = 1000000;

// SignatureInfo: names the key that signed the file ("<key_id>-<key_version>").
struct SignatureInfo {
  std::string key_id;       // verification_key_id, e.g. "310"
  std::string key_version;  // verification_key_version, e.g. "v1"
  std::string algorithm;    // signature_algorithm OID text
  bool operator==(const SignatureInfo&) const = default;
};

// Everything in export.bin apart from the keys.
struct ExportMetadata {
  uint64_t start_timestamp = 0;  // UTC seconds
  uint64_t end_timestamp = 0;    // UTC seconds
  std::string region;
  std::optional<int32_t> batch_num;  // 1-based
  std::optional<int32_t> batch_size;
  std::vector<SignatureInfo> signature_infos;
  bool operator==(const ExportMetadata&) const = default;
};

// One entry of export.sig.
struct TekSignature {
  SignatureInfo info;
  std::optional<int32_t> batch_num;
  std::optional<int32_t> batch_size;
  Bytes signature;  // ASN.1 DER ECDSA signature
  bool operator==(const TekSignature&) const = default;
};

// Hashes of the whole export.bin (header included), computed while it streams by.
struct ExportDigests {
  std::array<uint8_t, 32> sha256{};
  // Present when export.sig holds an ECDSA-with-SHA-512 signature.
  std::optional<std::array<uint8_t, 64>> sha512;
};

// True when `part` is a valid verification_key_id or verification_key_version: non-empty,
// letters, digits and '_' only (so "<id>-<version>" names a key unambiguously).
bool is_key_name_part(std::string_view part);

// Checks the ranges a key in an export file must respect: rolling_period 1..144,
// transmission_risk_level 0..8, days_since_onset_of_symptoms -14..14 when present, a known
// report type, and a rolling start that fits the file's int32. The error message names
// the field and value ("rolling_period 0 out of range 1..144"); callers add the index.
Status check_diagnosis_key(const DiagnosisKey& key);

}  // namespace exposure::keyfile
