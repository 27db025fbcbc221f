#include "store/sealing.h"

#include <sodium.h>

#include <cstring>

namespace exposure::store_internal {
namespace {

// crypto_kdf context (exactly 8 characters) and the subkey ids derived under it.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "ENSTORE1";
constexpr uint64_t kRecordKeyId = 1;
constexpr uint64_t kKeyCheckKeyId = 2;

static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                  crypto_aead_xchacha20poly1305_ietf_ABYTES ==
              kSealOverhead);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
static_assert(crypto_kdf_KEYBYTES == 32);

void put_u64_le(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

void ensure_sodium_initialized() {
  // sodium_init is thread-safe and idempotent; it selects the fastest implementations.
  static const int initialized = sodium_init();
  (void)initialized;
}

void PlaintextBuffer::clear() {
  if (!bytes_.empty()) secure_wipe(bytes_.data(), bytes_.size());
  bytes_.clear();
}

uint8_t* PlaintextBuffer::reset_to(size_t size) {
  clear();
  if (size > bytes_.capacity()) {
    Bytes larger;
    larger.reserve(size);
    bytes_.swap(larger);  // the old allocation held only wiped bytes
  }
  bytes_.resize(size);
  return bytes_.data();
}

Sealer::Sealer(const StorageKey& host_key, const StoreId& store_id) : store_id_(store_id) {
  ensure_sodium_initialized();
  crypto_kdf_derive_from_key(record_key_.data(), record_key_.size(), kRecordKeyId, kKdfContext,
                             host_key.data());
  SecretArray<32> check_key;
  crypto_kdf_derive_from_key(check_key.data(), check_key.size(), kKeyCheckKeyId, kKdfContext,
                             host_key.data());
  crypto_generichash(key_check_value_.data(), key_check_value_.size(), store_id_.data(),
                     store_id_.size(), check_key.data(), check_key.size());
}

std::array<uint8_t, 29> Sealer::associated_data(const RecordIdentity& identity) const {
  // store id (16) || kind (1) || id (8, LE) || day (4, LE)
  std::array<uint8_t, 29> ad{};
  std::memcpy(ad.data(), store_id_.data(), store_id_.size());
  ad[16] = static_cast<uint8_t>(identity.kind);
  put_u64_le(ad.data() + 17, identity.id);
  for (int i = 0; i < 4; ++i) ad[25 + i] = static_cast<uint8_t>(identity.day >> (8 * i));
  return ad;
}

Bytes Sealer::seal(ByteView plaintext, const RecordIdentity& identity) const {
  const auto ad = associated_data(identity);
  Bytes sealed(kSealOverhead + plaintext.size());
  uint8_t* nonce = sealed.data();
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written, plaintext.data(),
      plaintext.size(), ad.data(), ad.size(), nullptr, nonce, record_key_.data());
  return sealed;
}

bool Sealer::open(ByteView sealed, const RecordIdentity& identity,
                  PlaintextBuffer* plaintext) const {
  plaintext->clear();
  if (sealed.size() < kSealOverhead) return false;
  const auto ad = associated_data(identity);
  const uint8_t* nonce = sealed.data();
  const size_t cipher_size = sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  uint8_t* out = plaintext->reset_to(sealed.size() - kSealOverhead);
  unsigned long long written = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      out, &written, nullptr, nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, cipher_size,
      ad.data(), ad.size(), nonce, record_key_.data());
  if (rc != 0) {
    plaintext->clear();
    return false;
  }
  return true;
}

StoreId random_store_id() {
  ensure_sodium_initialized();
  StoreId id;
  randombytes_buf(id.data(), id.size());
  return id;
}

}  // namespace exposure::store_internal
