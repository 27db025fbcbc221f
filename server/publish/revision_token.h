// Revision tokens (Google's server API): base64 of RevisionToken{kid, data = nonce ||
// AES-256-GCM(RevisionTokenData)}, with AAD. The plaintext is padded to at least 28
// entries so the size does not tell how many keys a device has. Padding entries have an
// all-zero key (dropped on decode, as the reference server's zero entries are) and
// interval fields of the same encoded size as real ones, so every entry is the same size.
// The AES-256-GCM is the crypto facade's (OpenSSL 3 backend in the server).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/keys.h"
#include "exposure/secure.h"
#include "exposure/status.h"

namespace exposure::server {

inline constexpr size_t kRevisionTokenMinEntries = 28;
// The only revision key id this server writes (the key comes from the server secret).
inline constexpr std::string_view kRevisionTokenKid = "1";

struct RevisableKey {
  KeyData key{};
  int32_t interval_number = 0;
  int32_t interval_count = 0;
  bool operator==(const RevisableKey&) const = default;
};

// Encrypts `keys` into a token.
std::string seal_revision_token(std::span<const RevisableKey> keys, const SecretArray<32>& key, std::string_view aad);

// Decrypts a token; padding entries are dropped. kMalformed when it is not base64 of a
// RevisionToken, kUnsupported for an unknown kid, kVerificationFailed when it does not
// decrypt (tampered, other key or AAD).
Result<std::vector<RevisableKey>> open_revision_token(std::string_view token, const SecretArray<32>& key,
                                                      std::string_view aad);

}  // namespace exposure::server
