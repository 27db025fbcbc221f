// The crypto facade: the only door from project code to a crypto library.
//
// Two backends implement it, chosen per target at configure time: BoringSSL (the library's
// default) and OpenSSL 3 (the server's). Both are built from src/crypto/evp_backend.cc.
// A process links exactly one of them; backend_name() says which.
//
// Internal failures of the crypto library (allocation) abort: they are not caused by input.
// Functions that take untrusted input (keys, PEM, signatures) return Status/Result.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::crypto {

using Digest256 = std::array<uint8_t, 32>;
using Block128 = std::array<uint8_t, 16>;

// "boringssl" or "openssl".
const char* backend_name();

// HKDF-SHA256 (RFC 5869) with `salt` (empty = 32 zero bytes), writing out.size() bytes.
// Fails when out.size() > 255 * 32.
Status hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, MutableByteView out);

Digest256 sha256(ByteView data);
Digest256 hmac_sha256(ByteView key, ByteView data);

// Incremental SHA-256 for data that arrives in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(ByteView data);
  Digest256 finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// AES-128 in ECB mode with the key schedule kept for many calls. Encrypts `blocks`
// consecutive 16-byte blocks from `in` to `out` in one call (they may alias exactly).
class Aes128Ecb {
 public:
  explicit Aes128Ecb(const uint8_t key[16]);
  ~Aes128Ecb();
  Aes128Ecb(const Aes128Ecb&) = delete;
  Aes128Ecb& operator=(const Aes128Ecb&) = delete;
  void encrypt_blocks(const uint8_t* in, uint8_t* out, size_t blocks);
  // Replaces the key, keeping the context (cheaper than constructing a new one).
  void rekey(const uint8_t key[16]);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HKDF-SHA256 with no salt (RFC 5869's default of 32 zero bytes), a fixed `info`, a 16-byte
// input key and a 16-byte output: how GAEN derives RPIK and AEMK from a TEK. The HMAC state
// of the constant salt is computed once, so derive() costs six SHA-256 compressions and no
// allocation (the matcher derives millions of keys). derive(ikm) equals
// hkdf_sha256(ikm, {}, info, 16 bytes). Intermediate values are wiped.
class ZeroSaltHkdf16 {
 public:
  // `info` must be at most 54 bytes (it is hashed in one block with the counter byte);
  // longer aborts, as it is a programming error.
  explicit ZeroSaltHkdf16(ByteView info);
  ~ZeroSaltHkdf16();
  ZeroSaltHkdf16(const ZeroSaltHkdf16&) = delete;
  ZeroSaltHkdf16& operator=(const ZeroSaltHkdf16&) = delete;
  void derive(const uint8_t ikm[16], uint8_t out[16]) const;
  // Derives `count` keys, ikm[16 i .. 16 i + 16) -> out[16 i .. 16 i + 16). Works on four at
  // a time, step by step, so their SHA-256 compressions overlap: about twice the rate of
  // derive() where SHA-256 runs in hardware.
  void derive_many(const uint8_t* ikm, size_t count, uint8_t* out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// AES-128-CTR with a full 128-bit big-endian counter starting at `iv`; encryption and
// decryption are the same operation. `out` receives in.size() bytes.
void aes128_ctr(const uint8_t key[16], const Block128& iv, ByteView in, uint8_t* out);

// Fills `out` from the library's CSPRNG.
void random_bytes(MutableByteView out);

// ---- AES-256-GCM ------------------------------------------------------------------------

inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// AES-256-GCM encryption with a 12-byte nonce (never reuse one under the same key).
// Returns ciphertext || 16-byte tag (plaintext.size() + 16 bytes). `aad` is authenticated,
// not encrypted.
Bytes aes256_gcm_seal(const uint8_t key[32], const std::array<uint8_t, kGcmNonceSize>& nonce,
                      ByteView plaintext, ByteView aad);
// Opens what aes256_gcm_seal produced. kVerificationFailed when the tag does not verify
// under `key`, `nonce` and `aad`; kMalformed when `sealed` is shorter than the tag.
Result<Bytes> aes256_gcm_open(const uint8_t key[32], const std::array<uint8_t, kGcmNonceSize>& nonce,
                              ByteView sealed, ByteView aad);

// ---- ECDSA P-256 / SHA-256 -------------------------------------------------------------

// A P-256 public key. Loaded from PEM ("-----BEGIN PUBLIC KEY-----") or from the base64 /
// DER of a SubjectPublicKeyInfo, the forms apps and servers configure.
class EcPublicKey {
 public:
  ~EcPublicKey();
  EcPublicKey(EcPublicKey&&) noexcept;
  EcPublicKey& operator=(EcPublicKey&&) noexcept;

  // Accepts PEM text, base64 SPKI, or raw DER SPKI bytes. Rejects keys not on P-256.
  static Result<EcPublicKey> parse(ByteView pem_base64_or_der);
  // SubjectPublicKeyInfo in DER, and as PEM.
  Bytes spki_der() const;
  std::string pem() const;
  // Verifies an ASN.1 DER ECDSA signature over SHA-256(message).
  bool verify_sha256(ByteView message, ByteView der_signature) const;
  // Verifies an ASN.1 DER ECDSA signature over a precomputed 32-byte digest.
  bool verify_digest(const Digest256& digest, ByteView der_signature) const;

 private:
  friend class EcPrivateKey;
  struct Impl;
  explicit EcPublicKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A P-256 private key. Its memory is released through the library's key freeing, which
// clears it.
class EcPrivateKey {
 public:
  ~EcPrivateKey();
  EcPrivateKey(EcPrivateKey&&) noexcept;
  EcPrivateKey& operator=(EcPrivateKey&&) noexcept;

  static EcPrivateKey generate();
  // Accepts PKCS#8 or SEC1 ("EC PRIVATE KEY") PEM. Rejects keys not on P-256.
  static Result<EcPrivateKey> parse_pem(std::string_view pem);
  // PKCS#8 PEM.
  std::string pem() const;
  EcPublicKey public_key() const;
  // ASN.1 DER ECDSA signature over SHA-256(message).
  Bytes sign_sha256(ByteView message) const;
  // ASN.1 DER ECDSA signature over a precomputed 32-byte digest.
  Bytes sign_digest(const Digest256& digest) const;

 private:
  struct Impl;
  explicit EcPrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Converts between ASN.1 DER ECDSA signatures and the fixed 64-byte r||s form JWTs use.
Result<Bytes> ecdsa_der_to_raw(ByteView der);
Result<Bytes> ecdsa_raw_to_der(ByteView raw);

}  // namespace exposure::crypto
