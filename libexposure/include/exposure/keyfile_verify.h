// Signature verification of diagnosis-key archives, following the device rules:
//
//  * export.sig holds at least one signature, and as many as export.bin has
//    signature_infos;
//  * batch_size <= 1,000,000; when batch_size is present, batch_num is too and
//    1 <= batch_num <= batch_size;
//  * every signature names ECDSA with SHA-256 or SHA-512 (other OIDs are kUnsupported);
//  * public keys are grouped in cosign sets; the file is valid when any set verifies, and a
//    set verifies when every key in it has a matching signature ("<key_id>-<key_version>")
//    that verifies over the whole export.bin, header included;
//  * a signature without key id is allowed only when it is the only signature, and then
//    only a set holding exactly one key can use it;
//  * signatures that match no key are ignored.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/crypto.h"
#include "exposure/keyfile_format.h"
#include "exposure/keyfile_reader.h"
#include "exposure/status.h"

namespace exposure::keyfile {

// A configured public key, named "<verification_key_id>-<verification_key_version>".
struct VerificationKey {
  std::string name;
  crypto::EcPublicKey key;
};

// Keys that must all have verifying signatures for a file to pass.
using CosignSet = std::vector<VerificationKey>;

// Builds a key from its name ("ID-VERSION", neither part empty) and a PEM, base64 or DER
// SubjectPublicKeyInfo. kInvalidArgument on a bad name or a key that is not P-256.
Result<VerificationKey> make_verification_key(std::string_view name, ByteView public_key);

// Parses "ID-VERSION=PEM-or-base64" (the text after '=' is the key itself, not a path).
Result<VerificationKey> parse_verification_key(std::string_view spec);

// Applies the rules above to the parts of a file. Returns Ok, kVerificationFailed (a
// signature does not verify, or no configured key has a signature: the message names the
// key), kMalformed (counts or batch fields break the rules) or kUnsupported (unknown OID).
Status verify_signatures(const ExportMetadata& metadata, std::span<const TekSignature> signatures,
                         const ExportDigests& digests, std::span<const CosignSet> cosign_sets);

// Same, for a reader that has read every key (kFailedPrecondition if it has not finished,
// kMalformed if it read a bare export.bin, which carries no signature).
Status verify_signatures(const ExportReader& finished_reader,
                         std::span<const CosignSet> cosign_sets);

// Streams a whole archive (path or bytes) and verifies it; also fails when a key in it is
// invalid or the archive is malformed.
Status verify_export_path(const std::string& path, std::span<const CosignSet> cosign_sets,
                          const ReaderLimits& limits = {});
Status verify_export_bytes(ByteView data, std::span<const CosignSet> cosign_sets,
                           const ReaderLimits& limits = {});

}  // namespace exposure::keyfile
