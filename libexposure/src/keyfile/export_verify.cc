// Signature verification of export archives (rules in keyfile_verify.h and docs/keyfile.md).
#include <algorithm>
#include <string>

#include "exposure/keyfile_verify.h"

namespace exposure::keyfile {
namespace {

std::string signer_name(const SignatureInfo& info) { return info.key_id + "-" + info.key_version; }

Status check_batch_fields(const ExportMetadata& metadata) {
  if (!metadata.batch_size) return Status::Ok();
  int32_t size = *metadata.batch_size;
  if (size < 1 || size > kMaxBatchSize) {
    return malformed("batch_size " + std::to_string(size) + " out of range 1..1000000");
  }
  if (!metadata.batch_num) return malformed("batch_size is set but batch_num is missing");
  if (*metadata.batch_num < 1 || *metadata.batch_num > size) {
    return malformed("batch_num " + std::to_string(*metadata.batch_num) + " out of range 1.." +
                     std::to_string(size));
  }
  return Status::Ok();
}

// The digest a signature covers: SHA-256, or SHA-512 cut to its leftmost 32 bytes (ECDSA
// uses only as many digest bits as the curve order has, 256 for P-256).
Result<crypto::Digest256> signed_digest(const TekSignature& signature,
                                        const ExportDigests& digests) {
  if (signature.info.algorithm == kEcdsaSha256Oid) return crypto::Digest256(digests.sha256);
  if (!digests.sha512) {
    return Status(ErrorCode::kFailedPrecondition,
                  "the SHA-512 digest of export.bin was not computed");
  }
  crypto::Digest256 d;
  std::copy_n(digests.sha512->begin(), d.size(), d.begin());
  return d;
}

bool signature_verifies(const VerificationKey& key, const TekSignature& signature,
                        const ExportDigests& digests) {
  Result<crypto::Digest256> digest = signed_digest(signature, digests);
  return digest.ok() && key.key.verify_digest(*digest, signature.signature);
}

// Empty when the set verifies, else why not.
std::string check_cosign_set(const CosignSet& set, std::span<const TekSignature> signatures,
                             const ExportDigests& digests) {
  if (signatures.size() == 1 && signatures[0].info.key_id.empty()) {
    if (set.size() != 1) return "a signature without key id needs a cosign set of exactly one key";
    if (!signature_verifies(set[0], signatures[0], digests)) {
      return "signature does not verify with " + set[0].name;
    }
    return {};
  }
  for (const auto& key : set) {
    bool matched = false, verified = false;
    for (const auto& signature : signatures) {
      if (signer_name(signature.info) != key.name) continue;
      matched = true;
      if (signature_verifies(key, signature, digests)) verified = true;
    }
    if (!matched) return "no signature by " + key.name;
    if (!verified) return "signature by " + key.name + " does not verify";
  }
  return {};
}

}  // namespace

Result<VerificationKey> make_verification_key(std::string_view name, ByteView public_key) {
  auto dash = name.find('-');
  if (dash == std::string_view::npos || !is_key_name_part(name.substr(0, dash)) ||
      !is_key_name_part(name.substr(dash + 1))) {
    return invalid_argument("key name '" + std::string(name) +
                            "' is not ID-VERSION (letters, digits, '_')");
  }
  Result<crypto::EcPublicKey> key = crypto::EcPublicKey::parse(public_key);
  if (!key.ok()) {
    return invalid_argument("public key " + std::string(name) + ": " + key.status().message());
  }
  return VerificationKey{std::string(name), std::move(*key)};
}

Result<VerificationKey> parse_verification_key(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos) return invalid_argument("expected ID-VERSION=KEY");
  return make_verification_key(spec.substr(0, eq), as_bytes(spec.substr(eq + 1)));
}

Status verify_signatures(const ExportMetadata& metadata, std::span<const TekSignature> signatures,
                         const ExportDigests& digests, std::span<const CosignSet> cosign_sets) {
  if (cosign_sets.empty()) return invalid_argument("no public key configured");
  for (size_t i = 0; i < cosign_sets.size(); ++i) {
    if (cosign_sets[i].empty())
      return invalid_argument("cosign set " + std::to_string(i + 1) + " is empty");
  }
  if (signatures.empty()) {
    return Status(ErrorCode::kVerificationFailed,
                  "export.sig holds no signature (file is unsigned)");
  }
  if (signatures.size() != metadata.signature_infos.size()) {
    return malformed("export.sig has " + std::to_string(signatures.size()) +
                     " signatures but export.bin has " +
                     std::to_string(metadata.signature_infos.size()) + " signature_infos");
  }
  EXPOSURE_RETURN_IF_ERROR(check_batch_fields(metadata));
  for (size_t i = 0; i < signatures.size(); ++i) {
    const auto& info = signatures[i].info;
    if (info.algorithm != kEcdsaSha256Oid && info.algorithm != kEcdsaSha512Oid) {
      return Status(
          ErrorCode::kUnsupported,
          "signature " + std::to_string(i) + ": unknown algorithm OID '" + info.algorithm + "'");
    }
    if (info.key_id.empty() && signatures.size() > 1) {
      return malformed("signature " + std::to_string(i) +
                       " has no verification_key_id, allowed only when it is the only signature");
    }
  }
  std::string reasons;
  for (size_t i = 0; i < cosign_sets.size(); ++i) {
    std::string why = check_cosign_set(cosign_sets[i], signatures, digests);
    if (why.empty()) return Status::Ok();
    if (cosign_sets.size() > 1) {
      reasons += (i ? "; set " : "set ") + std::to_string(i + 1) + ": ";
    }
    reasons += why;
  }
  if (cosign_sets.size() > 1) reasons = "no cosign set verifies (" + reasons + ")";
  return Status(ErrorCode::kVerificationFailed, reasons);
}

Status verify_signatures(const ExportReader& reader, std::span<const CosignSet> cosign_sets) {
  if (!reader.finished()) {
    return Status(ErrorCode::kFailedPrecondition, "the reader has not read the whole export.bin");
  }
  if (!reader.is_archive()) return malformed("a bare export.bin carries no signature");
  return verify_signatures(reader.metadata(), reader.signatures(), reader.digests(), cosign_sets);
}

namespace {

Status drain_and_verify(Result<std::unique_ptr<ExportReader>> opened,
                        std::span<const CosignSet> cosign_sets) {
  if (!opened.ok()) return opened.status();
  ExportReader& reader = **opened;
  for (;;) {
    Result<std::optional<ExportKeyRecord>> record = reader.next();
    if (!record.ok()) return record.status();
    if (!record->has_value()) break;
  }
  return verify_signatures(reader, cosign_sets);
}

}  // namespace

Status verify_export_path(const std::string& path, std::span<const CosignSet> cosign_sets,
                          const ReaderLimits& limits) {
  return drain_and_verify(ExportReader::open_path(path, limits), cosign_sets);
}

Status verify_export_bytes(ByteView data, std::span<const CosignSet> cosign_sets,
                           const ReaderLimits& limits) {
  return drain_and_verify(ExportReader::open_bytes(data, limits), cosign_sets);
}

}  // namespace exposure::keyfile
