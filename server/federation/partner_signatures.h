// The signature rule a partner's file must pass before any of its keys is imported
// (docs/server.md, "Federation"). A partner is configured with every key it may sign with
// (during a key rotation, the old and the new one). A file is accepted when
//  1. it is a signed archive: export.sig holds at least one signature;
//  2. at least one signature names ("<key_id>-<key_version>") a configured key;
//  3. every signature that names a configured key verifies over the whole export.bin: the
//     configured keys the file names form one cosign set that must verify completely, so
//     one bad signature among good ones rejects the file;
//  4. signatures that name no configured key are ignored (a partner may also sign for
//     other receivers); a signature without key id names no key.
// The device rules of keyfile_verify.h apply as well (one signature per signature info,
// batch fields in range, ECDSA with SHA-256 or SHA-512 only).
#pragma once

#include <span>

#include "exposure/keyfile.h"
#include "exposure/status.h"
#include "storage/federation_store.h"

namespace exposure::server {

// Applies the rule to a reader that has read every key. kVerificationFailed for rules 1-3
// (the message names the keys involved), kMalformed / kUnsupported for the device rules,
// kCorrupt when a stored partner key does not parse.
Status verify_partner_file(const keyfile::ExportReader& finished_reader,
                           std::span<const PartnerKey> partner_keys);

}  // namespace exposure::server
