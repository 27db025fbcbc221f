// Revision tokens -> open_revision_token with the server's key and AAD.
//
// The first input byte picks the mode. Odd: the rest is the token text a client sends back.
// Even: the rest is a RevisionTokenData plaintext which the target seals as the server does
// (AES-256-GCM, kid "1"), so the decoding behind the authentication tag is fuzzed too; such a
// token must decrypt. Whatever opens must survive seal -> open unchanged.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "exposure/crypto.h"
#include "publish/revision.pb.h"
#include "publish/revision_token.h"
#include "server_fuzz_setup.h"

namespace {

std::string seal_plaintext(exposure::ByteView plaintext, std::string_view aad) {
  using namespace exposure;
  std::array<uint8_t, crypto::kGcmNonceSize> nonce{};
  crypto::random_bytes(nonce);
  Bytes sealed = crypto::aes256_gcm_seal(fuzz::revision_token_key().data(), nonce, plaintext, as_bytes(aad));
  server::revision::RevisionToken token;
  token.set_kid(std::string(server::kRevisionTokenKid));
  std::string blob(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  blob.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
  token.set_data(blob);
  return to_base64(as_bytes(token.SerializeAsString()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  if (size == 0) return 0;
  const std::string aad = fuzz::publish_settings().revision_token_aad;
  ByteView rest(data + 1, size - 1);
  bool sealed_here = (data[0] & 1) == 0;
  std::string token = sealed_here ? seal_plaintext(rest, aad)
                                  : std::string(reinterpret_cast<const char*>(rest.data()), rest.size());
  auto keys = server::open_revision_token(token, fuzz::revision_token_key(), aad);
  if (!keys.ok()) {
    if (keys.status().message().empty()) std::abort();
    if (sealed_here && keys.status().code() == ErrorCode::kVerificationFailed) std::abort();
    return 0;
  }
  std::string resealed = server::seal_revision_token(*keys, fuzz::revision_token_key(), aad);
  auto reopened = server::open_revision_token(resealed, fuzz::revision_token_key(), aad);
  if (!reopened.ok() || *reopened != *keys) std::abort();
  return 0;
}
