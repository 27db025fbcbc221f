// The server secret and the keys derived from it.
//
// One 32-byte secret (a file holding its base64, created with mode 0600 on first start)
// keys everything the server must keep from a database reader:
//   - hashes of API keys, verification codes, token ids and idempotency keys
//     (HMAC-SHA256, so a stolen database does not reveal a usable code or key);
//   - the AES-256-GCM key of revision tokens;
//   - the AES-256-GCM key that seals private keys (export signing and JWT keys) at rest.
// Each purpose gets its own key by HKDF-SHA256 with a distinct label.
#pragma once

#include <string>
#include <string_view>

#include "exposure/bytes.h"
#include "exposure/crypto.h"
#include "exposure/secure.h"
#include "exposure/status.h"

namespace exposure::server {

class ServerSecrets {
 public:
  // Reads the secret from `path`; when the file does not exist, creates it (mode 0600)
  // with 32 random bytes. Fails when the file exists but does not hold 32 base64 bytes.
  static Result<ServerSecrets> load_or_create(const std::string& path);
  // For tests: secrets derived from the given 32 bytes.
  static ServerSecrets from_bytes(const SecretArray<32>& master);

  // Keyed hashes (HMAC-SHA256) for lookups of secrets that are stored only hashed.
  crypto::Digest256 api_key_hash(std::string_view api_key) const;
  crypto::Digest256 code_hash(std::string_view code) const;
  crypto::Digest256 token_hash(std::string_view token_id) const;
  crypto::Digest256 idempotency_hash(std::string_view idempotency_key) const;

  // Key of revision-token encryption version `kid` (today only "1").
  const SecretArray<32>& revision_token_key() const { return revision_key_; }

  // Seals / opens a private key PEM for storage: nonce (12) || AES-256-GCM(PEM).
  Bytes seal(std::string_view plaintext, std::string_view label) const;
  Result<std::string> open(ByteView sealed, std::string_view label) const;

 private:
  ServerSecrets() = default;
  SecretArray<32> api_key_mac_, code_mac_, token_mac_, idempotency_mac_, revision_key_, seal_key_;
};

}  // namespace exposure::server
