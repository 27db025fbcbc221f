// Writing and signing diagnosis-key archives the way the reference key server does:
// keys sorted by their bytes, rolling_period left out when it is 144, batch 1 of 1, one
// SignatureInfo and one signature per signing key, and a deterministic zip (DEFLATE, zero
// timestamps, export.bin first), so the same input always gives the same archive bytes
// apart from the ECDSA signatures, which are randomised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/crypto.h"
#include "exposure/diagnosis_key.h"
#include "exposure/keyfile_format.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// A key that signs exports. key_id and key_version are what apps configure as
// "<key_id>-<key_version>"; both must be non-empty and use only [A-Za-z0-9_].
struct SigningKey {
  std::string key_id;
  std::string key_version;
  crypto::EcPrivateKey private_key;
};

// One export window.
struct ExportBatch {
  std::string region;
  uint64_t start_timestamp = 0;  // UTC seconds
  uint64_t end_timestamp = 0;    // UTC seconds
  // Keys + revised keys per file; more records start a new file.
  size_t max_records_per_file = kDefaultMaxRecordsPerFile;
};

// Builds the signed archives of a batch, one zip (its bytes) per file in file order: file
// i (0-based) is fileNum i+1, as in "<start>-<end>-%05d.zip".
//
// Keys and revised keys are validated (kInvalidArgument naming "keys[i]" or
// "revised_keys[i]" of the input), then each list is sorted by key bytes. Files are filled
// with keys first, then revised keys, at most max_records_per_file records each. When
// there is more than one file, each file's end_timestamp is batch.end_timestamp + fileNum,
// so every file has a distinct (start, end) pair; a single file keeps end_timestamp.
// Every file says batch 1 of 1 and is signed by every signer, in the order given.
// No keys at all gives no file (an empty vector). kInvalidArgument when `signers` is
// empty, a signer's id or version is not [A-Za-z0-9_]+, or max_records_per_file is 0.
Result<std::vector<Bytes>> build_export_archives(const ExportBatch& batch,
                                                 std::vector<DiagnosisKey> keys,
                                                 std::vector<DiagnosisKey> revised_keys,
                                                 std::span<const SigningKey> signers);

// Fake keys for padding a small batch, as the reference server does: when `real` holds at
// least one and fewer than `min_records` keys, returns random keys (16 bytes from the
// CSPRNG) so that real + fake reaches min_records + a random number in [0, padding_range],
// capped at max_records. Each fake key copies rolling start, rolling period, transmission
// risk, report type and days since onset from the real keys, round-robin. Otherwise
// (`real` empty or already large enough) returns no key. The caller stores the fake keys
// with the real ones so that regenerating the batch gives the same files.
std::vector<DiagnosisKey> make_padding_keys(std::span<const DiagnosisKey> real,
                                            size_t min_records = 1000, size_t padding_range = 100,
                                            size_t max_records = kDefaultMaxRecordsPerFile);

// ---- Building blocks (used by build_export_archives; exposed for tools and tests) --------

// Sorts keys ascending by their 16 key bytes (ties keep a stable order).
void sort_by_key_bytes(std::vector<DiagnosisKey>& keys);

// export.bin: the 16-byte header then TemporaryExposureKeyExport with the fields of
// `metadata` (batch fields only when present) and the keys in the order given. Per key:
// key_data, transmission_risk_level, rolling_start_interval_number unless 0,
// rolling_period unless 144, report_type unless kUnknown, days_since_onset when known.
// The keys are not validated here.
Bytes serialize_export_bin(const ExportMetadata& metadata, std::span<const DiagnosisKey> keys,
                           std::span<const DiagnosisKey> revised_keys);

// export.sig: a TEKSignatureList of `signatures`, in order.
Bytes serialize_export_sig(std::span<const TekSignature> signatures);

// The SignatureInfo a signer writes (algorithm ECDSA P-256 with SHA-256).
SignatureInfo signature_info_for(const SigningKey& signer);

// One signature per signer over the whole export.bin, batch 1 of 1.
std::vector<TekSignature> sign_export_bin(ByteView export_bin, std::span<const SigningKey> signers);

// The zip archive: export.bin then export.sig, DEFLATE, zero DOS timestamps, no comment.
Result<Bytes> write_export_archive(ByteView export_bin, ByteView export_sig);

}  // namespace exposure::keyfile
