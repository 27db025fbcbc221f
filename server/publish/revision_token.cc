#include "publish/revision_token.h"

#include <algorithm>
#include <cstring>

#include "exposure/crypto.h"
#include "publish/revision.pb.h"

namespace exposure::server {

std::string seal_revision_token(std::span<const RevisableKey> keys, const SecretArray<32>& key, std::string_view aad) {
  revision::RevisionTokenData data;
  for (const RevisableKey& k : keys) {
    auto* entry = data.add_revisablekeys();
    entry->set_temporaryexposurekey(k.key.data(), k.key.size());
    entry->set_intervalnumber(k.interval_number);
    entry->set_intervalcount(k.interval_count);
  }
  // Interval values with the varint sizes of real ones (4 and 2 bytes).
  static const uint8_t kZeroKey[16] = {0};
  for (size_t i = keys.size(); i < kRevisionTokenMinEntries; ++i) {
    auto* entry = data.add_revisablekeys();
    entry->set_temporaryexposurekey(kZeroKey, sizeof kZeroKey);
    entry->set_intervalnumber(1 << 21);
    entry->set_intervalcount(144);
  }
  std::string plaintext = data.SerializeAsString();
  std::array<uint8_t, crypto::kGcmNonceSize> nonce;
  crypto::random_bytes(nonce);
  Bytes sealed = crypto::aes256_gcm_seal(key.data(), nonce, as_bytes(plaintext), as_bytes(aad));
  secure_wipe(plaintext.data(), plaintext.size());

  revision::RevisionToken token;
  token.set_kid(std::string(kRevisionTokenKid));
  std::string blob(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  blob.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
  token.set_data(blob);
  return to_base64(as_bytes(token.SerializeAsString()));
}

Result<std::vector<RevisableKey>> open_revision_token(std::string_view text, const SecretArray<32>& key,
                                                      std::string_view aad) {
  auto bytes = from_base64(text);
  if (!bytes.ok()) return malformed("revision token is not base64");
  revision::RevisionToken token;
  if (!token.ParseFromArray(bytes->data(), static_cast<int>(bytes->size()))) {
    return malformed("revision token is not a RevisionToken message");
  }
  if (token.kid() != kRevisionTokenKid) return Status(ErrorCode::kUnsupported, "revision token key id is unknown");
  const std::string& blob = token.data();
  if (blob.size() < crypto::kGcmNonceSize + crypto::kGcmTagSize) return malformed("revision token data too short");
  std::array<uint8_t, crypto::kGcmNonceSize> nonce;
  std::memcpy(nonce.data(), blob.data(), nonce.size());
  auto plaintext = crypto::aes256_gcm_open(
      key.data(), nonce, as_bytes(std::string_view(blob).substr(crypto::kGcmNonceSize)), as_bytes(aad));
  if (!plaintext.ok()) return Status(ErrorCode::kVerificationFailed, "revision token does not decrypt");
  revision::RevisionTokenData data;
  bool parsed = data.ParseFromArray(plaintext->data(), static_cast<int>(plaintext->size()));
  secure_wipe(plaintext->data(), plaintext->size());
  if (!parsed) return malformed("revision token plaintext is not RevisionTokenData");
  std::vector<RevisableKey> keys;
  for (const auto& entry : data.revisablekeys()) {
    const std::string& tek = entry.temporaryexposurekey();
    if (tek.size() != 16) return malformed("revision token holds a key of " + std::to_string(tek.size()) + " bytes");
    RevisableKey k;
    std::memcpy(k.key.data(), tek.data(), 16);
    k.interval_number = entry.intervalnumber();
    k.interval_count = entry.intervalcount();
    bool padding = std::all_of(k.key.begin(), k.key.end(), [](uint8_t b) { return b == 0; });
    if (!padding) keys.push_back(k);
  }
  return keys;
}

}  // namespace exposure::server
