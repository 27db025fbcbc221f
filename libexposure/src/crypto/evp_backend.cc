// The crypto facade (exposure/crypto.h) over the EVP API shared by BoringSSL and OpenSSL 3.
// This file is compiled once per backend; the few API differences sit behind
// OPENSSL_IS_BORINGSSL.
#include <openssl/bn.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "exposure/crypto.h"
#include "exposure/secure.h"

#ifdef OPENSSL_IS_BORINGSSL
#include <openssl/hkdf.h>
#else
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#endif

namespace exposure::crypto {
namespace {

[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "libexposure: crypto backend failure in %s\n", what);
  std::abort();
}

void check(int ok, const char* what) {
  if (ok != 1) fatal(what);
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string bio_to_string(BIO* bio) {
  const uint8_t* data = nullptr;
  size_t len = 0;
#ifdef OPENSSL_IS_BORINGSSL
  check(BIO_mem_contents(bio, &data, &len), "BIO_mem_contents");
#else
  char* p = nullptr;
  long n = BIO_get_mem_data(bio, &p);
  data = reinterpret_cast<const uint8_t*>(p);
  len = static_cast<size_t>(n);
#endif
  return std::string(reinterpret_cast<const char*>(data), len);
}

const EVP_CIPHER* aes_128_ecb() {
#ifdef OPENSSL_IS_BORINGSSL
  return EVP_aes_128_ecb();
#else
  // Fetch once: an implicit fetch on every init costs a lookup in OpenSSL 3.
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  return cipher;
#endif
}

bool is_p256(EVP_PKEY* pkey) {
  if (EVP_PKEY_id(pkey) != EVP_PKEY_EC) return false;
#ifdef OPENSSL_IS_BORINGSSL
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(pkey);
  return ec && EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) == NID_X9_62_prime256v1;
#else
  char name[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1)
    return false;
  return std::strcmp(name, "prime256v1") == 0;
#endif
}

bool bn_to_fixed(const BIGNUM* bn, uint8_t* out, size_t len) {
#ifdef OPENSSL_IS_BORINGSSL
  return BN_bn2bin_padded(out, len, bn) == 1;
#else
  return BN_bn2binpad(bn, out, static_cast<int>(len)) == static_cast<int>(len);
#endif
}

}  // namespace

const char* backend_name() {
#ifdef OPENSSL_IS_BORINGSSL
  return "boringssl";
#else
  return "openssl";
#endif
}

Status hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, MutableByteView out) {
  if (out.size() > 255 * 32) return invalid_argument("HKDF output longer than 8160 bytes");
  static const uint8_t kZeroSalt[32] = {0};
  if (salt.empty()) salt = ByteView(kZeroSalt, sizeof kZeroSalt);  // RFC 5869 default
#ifdef OPENSSL_IS_BORINGSSL
  check(HKDF(out.data(), out.size(), EVP_sha256(), ikm.data(), ikm.size(), salt.data(),
             salt.size(), info.data(), info.size()),
        "HKDF");
#else
  // Fetch the KDF once: an implicit fetch per call costs more than the HKDF itself.
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  if (!ctx) fatal("EVP_KDF_CTX_new(HKDF)");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<uint8_t*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params) == 1;
  EVP_KDF_CTX_free(ctx);
  check(ok ? 1 : 0, "HKDF");
#endif
  return Status::Ok();
}

Digest256 sha256(ByteView data) {
  Digest256 d;
  unsigned int len = 0;
  check(EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr), "EVP_Digest");
  return d;
}

Digest256 hmac_sha256(ByteView key, ByteView data) {
  Digest256 d;
  unsigned int len = 0;
  static const uint8_t kEmpty = 0;
  const uint8_t* k = key.empty() ? &kEmpty : key.data();
  if (!HMAC(EVP_sha256(), k, static_cast<int>(key.size()), data.data(), data.size(), d.data(), &len))
    fatal("HMAC");
  return d;
}

struct Sha256::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx) fatal("EVP_MD_CTX_new");
  check(EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}
Sha256::~Sha256() = default;

void Sha256::update(ByteView data) {
  check(EVP_DigestUpdate(impl_->ctx, data.data(), data.size()), "EVP_DigestUpdate");
}

Digest256 Sha256::finish() {
  Digest256 d;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(impl_->ctx, d.data(), &len), "EVP_DigestFinal_ex");
  return d;
}

struct Aes128Ecb::Impl {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~Impl() { EVP_CIPHER_CTX_free(ctx); }
};

Aes128Ecb::Aes128Ecb(const uint8_t key[16]) : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx) fatal("EVP_CIPHER_CTX_new");
  check(EVP_EncryptInit_ex(impl_->ctx, aes_128_ecb(), nullptr, key, nullptr), "EVP_EncryptInit_ex");
  check(EVP_CIPHER_CTX_set_padding(impl_->ctx, 0), "EVP_CIPHER_CTX_set_padding");
}
Aes128Ecb::~Aes128Ecb() = default;

void Aes128Ecb::rekey(const uint8_t key[16]) {
  check(EVP_EncryptInit_ex(impl_->ctx, nullptr, nullptr, key, nullptr), "EVP_EncryptInit_ex");
}

void Aes128Ecb::encrypt_blocks(const uint8_t* in, uint8_t* out, size_t blocks) {
  int len = 0;
  check(EVP_EncryptUpdate(impl_->ctx, out, &len, in, static_cast<int>(blocks * 16)),
        "EVP_EncryptUpdate");
}

// The low-level SHA-256 interface lets the salt's HMAC state be copied by value; OpenSSL 3
// marks it deprecated but keeps it (it is what its own HMAC uses underneath).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
struct ZeroSaltHkdf16::Impl {
  SHA256_CTX inner_salt;  // state after the block (32 zero bytes, zero-padded) XOR ipad
  SHA256_CTX outer_salt;  // ... XOR opad
  SHA256_CTX initial;     // SHA-256's initial state
  uint8_t info_block[64];  // last block of HMAC(PRK, info || 0x01)'s inner hash
  // Blocks whose first 16 (IKM) or 32 (digest, PRK XOR pad) bytes vary; the rest is fixed.
  uint8_t ikm_block[64];     // IKM || padding of a 64 + 16 byte message
  uint8_t digest_block[64];  // digest || padding of a 64 + 32 byte message
  uint8_t ipad_block[64];    // (PRK || 32 zero bytes) XOR ipad
  uint8_t opad_block[64];    // ... XOR opad
};

namespace {

constexpr size_t kHkdfLanes = 4;

// SHA-256 padding of a message whose last `n` (< 56) bytes are `tail` (zeros when null),
// `total` bytes long in all, as the one block that ends it.
void final_block(const uint8_t* tail, size_t n, uint64_t total, uint8_t block[64]) {
  if (tail != nullptr) {
    std::memcpy(block, tail, n);
  } else {
    std::memset(block, 0, n);
  }
  block[n] = 0x80;
  std::memset(block + n + 1, 0, 55 - n);
  for (int i = 0; i < 8; ++i) block[56 + i] = static_cast<uint8_t>((total * 8) >> (56 - 8 * i));
}

// The 32-byte big-endian state of `ctx`, each byte XOR `pad`, to out[0..32).
void state_bytes(const SHA256_CTX& ctx, uint8_t pad, uint8_t out[32]) {
  uint32_t mask = 0x01010101u * pad;
  for (int i = 0; i < 8; ++i) {
    uint32_t word = ctx.h[i];
    if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap32(word);
    word ^= mask;
    std::memcpy(out + 4 * i, &word, 4);
  }
}

// Only the chaining state matters to SHA256_Transform.
void copy_state(SHA256_CTX& to, const SHA256_CTX& from) { std::memcpy(to.h, from.h, sizeof to.h); }

void pad_block(const uint8_t* key, size_t key_size, uint8_t pad, uint8_t block[64]) {
  std::memset(block, pad, 64);
  for (size_t i = 0; i < key_size; ++i) block[i] ^= key[i];
}

}  // namespace

ZeroSaltHkdf16::ZeroSaltHkdf16(ByteView info) : impl_(std::make_unique<Impl>()) {
  if (info.size() > 55 - 1) fatal("ZeroSaltHkdf16 info longer than 54 bytes");
  uint8_t block[64];
  pad_block(nullptr, 0, 0x36, block);
  SHA256_Init(&impl_->inner_salt);
  SHA256_Transform(&impl_->inner_salt, block);
  pad_block(nullptr, 0, 0x5c, block);
  SHA256_Init(&impl_->outer_salt);
  SHA256_Transform(&impl_->outer_salt, block);
  SHA256_Init(&impl_->initial);
  uint8_t message[64];
  if (!info.empty()) std::memcpy(message, info.data(), info.size());
  message[info.size()] = 0x01;  // T(1) = HMAC(PRK, info || 0x01)
  final_block(message, info.size() + 1, 64 + info.size() + 1, impl_->info_block);
  final_block(nullptr, 16, 64 + 16, impl_->ikm_block);  // the IKM goes in front
  final_block(nullptr, 32, 64 + 32, impl_->digest_block);
  pad_block(nullptr, 0, 0x36, impl_->ipad_block);
  pad_block(nullptr, 0, 0x5c, impl_->opad_block);
}
ZeroSaltHkdf16::~ZeroSaltHkdf16() = default;

void ZeroSaltHkdf16::derive(const uint8_t ikm[16], uint8_t out[16]) const { derive_many(ikm, 1, out); }

void ZeroSaltHkdf16::derive_many(const uint8_t* ikm, size_t count, uint8_t* out) const {
  // Each step runs one SHA-256 compression per lane; the lanes are independent, so the
  // SHA unit works on several at once instead of waiting on one chain. The blocks' fixed
  // parts are copied once per call; per key only their first 16 or 32 bytes are written.
  struct Lane {
    SHA256_CTX inner, outer;
    uint8_t ikm[64], digest[64], ipad[64], opad[64];
  };
  Lane lane[kHkdfLanes];
  for (Lane& x : lane) {
    std::memcpy(x.ikm, impl_->ikm_block, 64);
    std::memcpy(x.digest, impl_->digest_block, 64);
    std::memcpy(x.ipad, impl_->ipad_block, 64);
    std::memcpy(x.opad, impl_->opad_block, 64);
  }
  for (size_t base = 0; base < count; base += kHkdfLanes) {
    size_t lanes = std::min(kHkdfLanes, count - base);
    // Extract: PRK = HMAC(32 zero bytes, ikm), from the precomputed salt states.
    for (size_t l = 0; l < lanes; ++l) {
      copy_state(lane[l].inner, impl_->inner_salt);
      std::memcpy(lane[l].ikm, ikm + 16 * (base + l), 16);
      SHA256_Transform(&lane[l].inner, lane[l].ikm);
    }
    for (size_t l = 0; l < lanes; ++l) {
      state_bytes(lane[l].inner, 0, lane[l].digest);
      copy_state(lane[l].outer, impl_->outer_salt);
      SHA256_Transform(&lane[l].outer, lane[l].digest);
    }
    // Expand, first block only: OKM = HMAC(PRK, info || 0x01)[0..16).
    for (size_t l = 0; l < lanes; ++l) {
      state_bytes(lane[l].outer, 0x36, lane[l].ipad);  // PRK XOR ipad
      state_bytes(lane[l].outer, 0x5c, lane[l].opad);
      copy_state(lane[l].inner, impl_->initial);
      SHA256_Transform(&lane[l].inner, lane[l].ipad);
      copy_state(lane[l].outer, impl_->initial);
      SHA256_Transform(&lane[l].outer, lane[l].opad);
    }
    for (size_t l = 0; l < lanes; ++l) SHA256_Transform(&lane[l].inner, impl_->info_block);
    for (size_t l = 0; l < lanes; ++l) {
      state_bytes(lane[l].inner, 0, lane[l].digest);
      SHA256_Transform(&lane[l].outer, lane[l].digest);
      state_bytes(lane[l].outer, 0, lane[l].digest);
      std::memcpy(out + 16 * (base + l), lane[l].digest, 16);
    }
  }
  secure_wipe(lane, sizeof lane);
}
#pragma GCC diagnostic pop

void aes128_ctr(const uint8_t key[16], const Block128& iv, ByteView in, uint8_t* out) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) fatal("EVP_CIPHER_CTX_new");
  int len = 0;
  int ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key, iv.data()) == 1 &&
           EVP_EncryptUpdate(ctx, out, &len, in.data(), static_cast<int>(in.size())) == 1;
  EVP_CIPHER_CTX_free(ctx);
  check(ok ? 1 : 0, "AES-128-CTR");
}

// BoringSSL's GCM reads a NULL input as "finish": empty inputs get a valid pointer.
static const uint8_t* non_null(ByteView data) {
  static const uint8_t kNothing = 0;
  return data.empty() ? &kNothing : data.data();
}

Bytes aes256_gcm_seal(const uint8_t key[32], const std::array<uint8_t, kGcmNonceSize>& nonce,
                      ByteView plaintext, ByteView aad) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) fatal("EVP_CIPHER_CTX_new");
  Bytes out(plaintext.size() + kGcmTagSize);
  int len = 0;
  int ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, nonce.data()) == 1 &&
           (aad.empty() ||
            EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
           EVP_EncryptUpdate(ctx, out.data(), &len, non_null(plaintext), static_cast<int>(plaintext.size())) == 1 &&
           EVP_EncryptFinal_ex(ctx, out.data() + len, &len) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, out.data() + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  check(ok ? 1 : 0, "AES-256-GCM seal");
  return out;
}

Result<Bytes> aes256_gcm_open(const uint8_t key[32], const std::array<uint8_t, kGcmNonceSize>& nonce,
                              ByteView sealed, ByteView aad) {
  if (sealed.size() < kGcmTagSize) return malformed("AES-GCM input shorter than its 16-byte tag");
  size_t text_size = sealed.size() - kGcmTagSize;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) fatal("EVP_CIPHER_CTX_new");
  Bytes out(text_size);
  uint8_t tag[kGcmTagSize];
  std::memcpy(tag, sealed.data() + text_size, kGcmTagSize);
  int len = 0;
  int ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, nonce.data()) == 1 &&
           (aad.empty() ||
            EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
           EVP_DecryptUpdate(ctx, out.data(), &len, non_null(sealed), static_cast<int>(text_size)) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag) == 1 &&
           EVP_DecryptFinal_ex(ctx, out.data() + len, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  ERR_clear_error();
  if (!ok) {
    secure_wipe(out.data(), out.size());
    return Status(ErrorCode::kVerificationFailed, "AES-GCM tag does not verify");
  }
  return out;
}

void random_bytes(MutableByteView out) {
  check(RAND_bytes(out.data(), out.size()), "RAND_bytes");
}

// ---- ECDSA ------------------------------------------------------------------------------

struct EcPublicKey::Impl {
  EVP_PKEY* pkey = nullptr;
  ~Impl() { EVP_PKEY_free(pkey); }
};
struct EcPrivateKey::Impl {
  EVP_PKEY* pkey = nullptr;
  ~Impl() { EVP_PKEY_free(pkey); }
};

EcPublicKey::EcPublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EcPublicKey::~EcPublicKey() = default;
EcPublicKey::EcPublicKey(EcPublicKey&&) noexcept = default;
EcPublicKey& EcPublicKey::operator=(EcPublicKey&&) noexcept = default;

Result<EcPublicKey> EcPublicKey::parse(ByteView input) {
  std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  EVP_PKEY* pkey = nullptr;
  if (text.find("-----BEGIN") != std::string_view::npos) {
    BioPtr bio(BIO_new_mem_buf(input.data(), static_cast<int>(input.size())));
    pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!pkey) return malformed("public key PEM does not hold a SubjectPublicKeyInfo");
  } else {
    Bytes der;
    bool printable = !input.empty() && input[0] == 'M';  // base64 of a DER SEQUENCE starts with 'M'
    if (printable) {
      std::string trimmed;
      for (char c : text)
        if (c != '\n' && c != '\r' && c != ' ') trimmed += c;
      auto decoded = from_base64(trimmed);
      if (!decoded.ok()) return malformed("public key is neither PEM nor base64 SubjectPublicKeyInfo");
      der = std::move(*decoded);
    } else {
      der.assign(input.begin(), input.end());
    }
    const uint8_t* p = der.data();
    pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
    if (!pkey || p != der.data() + der.size()) {
      EVP_PKEY_free(pkey);
      return malformed("public key is not a DER SubjectPublicKeyInfo");
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey = pkey;
  if (!is_p256(pkey)) return Status(ErrorCode::kUnsupported, "public key is not an ECDSA P-256 key");
  return EcPublicKey(std::move(impl));
}

Bytes EcPublicKey::spki_der() const {
  uint8_t* der = nullptr;
  int len = i2d_PUBKEY(impl_->pkey, &der);
  if (len <= 0) fatal("i2d_PUBKEY");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

std::string EcPublicKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PUBKEY(bio.get(), impl_->pkey), "PEM_write_bio_PUBKEY");
  return bio_to_string(bio.get());
}

bool EcPublicKey::verify_sha256(ByteView message, ByteView sig) const {
  return verify_digest(sha256(message), sig);
}

bool EcPublicKey::verify_digest(const Digest256& digest, ByteView sig) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(impl_->pkey, nullptr);
  if (!ctx) fatal("EVP_PKEY_CTX_new");
  bool ok = EVP_PKEY_verify_init(ctx) == 1 &&
            EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

EcPrivateKey::EcPrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EcPrivateKey::~EcPrivateKey() = default;
EcPrivateKey::EcPrivateKey(EcPrivateKey&&) noexcept = default;
EcPrivateKey& EcPrivateKey::operator=(EcPrivateKey&&) noexcept = default;

EcPrivateKey EcPrivateKey::generate() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
  if (!ctx) fatal("EVP_PKEY_CTX_new_id(EC)");
  EVP_PKEY* pkey = nullptr;
  int ok = EVP_PKEY_keygen_init(ctx) == 1 &&
           EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1 &&
           EVP_PKEY_keygen(ctx, &pkey) == 1;
  EVP_PKEY_CTX_free(ctx);
  check(ok ? 1 : 0, "EC key generation");
  auto impl = std::make_unique<Impl>();
  impl->pkey = pkey;
  return EcPrivateKey(std::move(impl));
}

Result<EcPrivateKey> EcPrivateKey::parse_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (!pkey) return malformed("private key PEM is not a PKCS#8 or SEC1 EC key");
  auto impl = std::make_unique<Impl>();
  impl->pkey = pkey;
  if (!is_p256(pkey)) return Status(ErrorCode::kUnsupported, "private key is not an ECDSA P-256 key");
  return EcPrivateKey(std::move(impl));
}

std::string EcPrivateKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->pkey, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PKCS8PrivateKey");
  return bio_to_string(bio.get());
}

EcPublicKey EcPrivateKey::public_key() const {
  uint8_t* der = nullptr;
  int len = i2d_PUBKEY(impl_->pkey, &der);
  if (len <= 0) fatal("i2d_PUBKEY");
  const uint8_t* p = der;
  auto impl = std::make_unique<EcPublicKey::Impl>();
  impl->pkey = d2i_PUBKEY(nullptr, &p, len);
  OPENSSL_free(der);
  if (!impl->pkey) fatal("d2i_PUBKEY");
  return EcPublicKey(std::move(impl));
}

Bytes EcPrivateKey::sign_sha256(ByteView message) const { return sign_digest(sha256(message)); }

Bytes EcPrivateKey::sign_digest(const Digest256& digest) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(impl_->pkey, nullptr);
  if (!ctx) fatal("EVP_PKEY_CTX_new");
  size_t len = 0;
  Bytes sig;
  int ok = EVP_PKEY_sign_init(ctx) == 1 &&
           EVP_PKEY_sign(ctx, nullptr, &len, digest.data(), digest.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_PKEY_sign(ctx, sig.data(), &len, digest.data(), digest.size()) == 1;
    sig.resize(len);
  }
  EVP_PKEY_CTX_free(ctx);
  check(ok ? 1 : 0, "ECDSA sign");
  return sig;
}

Result<Bytes> ecdsa_der_to_raw(ByteView der) {
  const uint8_t* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig || p != der.data() + der.size()) {
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return malformed("signature is not a DER ECDSA-Sig-Value");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  Bytes raw(64);
  bool ok = bn_to_fixed(r, raw.data(), 32) && bn_to_fixed(s, raw.data() + 32, 32);
  ECDSA_SIG_free(sig);
  if (!ok) return malformed("signature values do not fit P-256");
  return raw;
}

Result<Bytes> ecdsa_raw_to_der(ByteView raw) {
  if (raw.size() != 64) return malformed("raw P-256 signature must be 64 bytes, got " + std::to_string(raw.size()));
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) fatal("ECDSA_SIG_set0");
  uint8_t* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) fatal("i2d_ECDSA_SIG");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace exposure::crypto
