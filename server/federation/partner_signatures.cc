#include "federation/partner_signatures.h"

#include <algorithm>
#include <string>
#include <vector>

namespace exposure::server {

Status verify_partner_file(const keyfile::ExportReader& reader,
                           std::span<const PartnerKey> partner_keys) {
  if (!reader.is_archive()) return malformed("not a signed archive (a bare export.bin)");
  const auto& signatures = reader.signatures();
  if (signatures.empty())
    return Status(ErrorCode::kVerificationFailed, "unsigned: export.sig holds no signature");
  keyfile::CosignSet named;
  for (const PartnerKey& key : partner_keys) {
    const bool signed_by_key =
        std::any_of(signatures.begin(), signatures.end(), [&](const keyfile::TekSignature& s) {
          return !s.info.key_id.empty() && s.info.key_id + "-" + s.info.key_version == key.name;
        });
    if (!signed_by_key) continue;
    auto parsed = keyfile::make_verification_key(key.name, as_bytes(key.public_key_pem));
    if (!parsed.ok())
      return Status(ErrorCode::kCorrupt, "stored partner key " + parsed.status().message());
    named.push_back(std::move(*parsed));
  }
  if (named.empty()) {
    std::string signers;
    for (const keyfile::TekSignature& s : signatures) {
      signers += (signers.empty() ? "" : ", ") + (s.info.key_id.empty()
                                                      ? std::string("(no key id)")
                                                      : s.info.key_id + "-" + s.info.key_version);
    }
    return Status(ErrorCode::kVerificationFailed,
                  "no signature by a configured key of the partner (signed by " + signers + ")");
  }
  std::vector<keyfile::CosignSet> sets;
  sets.push_back(std::move(named));
  return keyfile::verify_signatures(reader, sets);
}

}  // namespace exposure::server
