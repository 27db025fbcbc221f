// At-rest encryption of store records: XChaCha20-Poly1305 (libsodium) under a key derived
// from the host's storage key, with the record's identity (store, kind, id, day) as
// associated data so a record only opens in the place it was written for.
#pragma once

#include <array>
#include <cstdint>

#include "exposure/bytes.h"
#include "exposure/secure.h"
#include "exposure/store.h"

namespace exposure::store_internal {

using StoreId = std::array<uint8_t, 16>;
using KeyCheckValue = std::array<uint8_t, 32>;

// Nonce (24) + Poly1305 tag (16) added to every sealed record.
inline constexpr size_t kSealOverhead = 40;

enum class RecordKind : uint8_t {
  kSummary = 'S',
  kSightingChunk = 'C',
  kOwnKeys = 'K',
  kAppState = 'A',
};

// Where a record lives. `id` is the chunk id (chunks) or the record's generation (own keys,
// app state); `day` is the chunk's UTC day, or the app-state slot (0 for the other kinds).
struct RecordIdentity {
  RecordKind kind;
  uint64_t id = 0;
  uint32_t day = 0;
};

// A byte buffer for plaintext that is wiped when it is resized, reassigned or destroyed.
class PlaintextBuffer {
 public:
  PlaintextBuffer() = default;
  PlaintextBuffer(const PlaintextBuffer&) = delete;
  PlaintextBuffer& operator=(const PlaintextBuffer&) = delete;
  ~PlaintextBuffer() { clear(); }

  // Wipes and empties the buffer (keeping its allocation).
  void clear();
  // Wipes the buffer, then makes it `size` bytes long; returns the first byte.
  uint8_t* reset_to(size_t size);
  Bytes& bytes() { return bytes_; }
  ByteView view() const { return bytes_; }

 private:
  Bytes bytes_;
};

class Sealer {
 public:
  // Derives the record key and the key check value of `store_id` from `host_key`.
  Sealer(const StorageKey& host_key, const StoreId& store_id);

  // The value stored in the clear that tells at open time whether a key is the store's key.
  // It is a keyed BLAKE2b output: it reveals nothing about the key.
  const KeyCheckValue& key_check_value() const { return key_check_value_; }

  // nonce || ciphertext || tag of `plaintext` for `identity`.
  Bytes seal(ByteView plaintext, const RecordIdentity& identity) const;

  // Authenticates and decrypts `sealed` for `identity` into `plaintext`. False (and an empty
  // buffer) when the record is too short, was modified, or belongs elsewhere.
  bool open(ByteView sealed, const RecordIdentity& identity, PlaintextBuffer* plaintext) const;

 private:
  std::array<uint8_t, 29> associated_data(const RecordIdentity& identity) const;

  SecretArray<32> record_key_;
  KeyCheckValue key_check_value_{};
  StoreId store_id_{};
};

// Calls sodium_init once per process.
void ensure_sodium_initialized();

// A random store id.
StoreId random_store_id();

}  // namespace exposure::store_internal
