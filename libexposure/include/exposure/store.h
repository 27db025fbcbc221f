// The device store: the sightings a phone has scanned in the last 14 days and its own key
// history, in SQLite (WAL), encrypted at rest with XChaCha20-Poly1305 under a 32-byte key the
// host holds. Nothing on disk reveals an RPI, an AEM, a TEK, an RSSI or a time finer than the
// UTC day; a modified, moved or deleted record is reported as kCorrupt. See docs/store.md for
// the threat model and the on-disk format.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/interval.h"
#include "exposure/keys.h"
#include "exposure/secure.h"
#include "exposure/sighting.h"
#include "exposure/status.h"

namespace exposure {

// The host's storage key (Android Keystore / iOS Keychain supply it through the bindings; the
// CLI and tests read a key file). Wiped when destroyed.
using StorageKey = SecretArray<32>;

// A fresh key from libsodium's CSPRNG.
StorageKey generate_storage_key();

// Parses the contents of a key file: exactly 32 raw bytes, or 64 hex digits (either case)
// optionally surrounded by whitespace (a trailing newline). kInvalidArgument otherwise; the
// message never contains key material.
Result<StorageKey> parse_storage_key(ByteView contents);

// Reads and parses a key file (see parse_storage_key). kIoError when it cannot be read.
Result<StorageKey> read_storage_key_file(const std::string& path);

// Writes `key` as 64 lowercase hex digits and a newline to a new file created with mode 0600.
// kAlreadyExists when `path` exists (a key is never overwritten).
Status write_storage_key_file(const std::string& path, const StorageKey& key);

// Days of sightings kept before today (today is kept too), as the platforms do.
inline constexpr uint32_t kSightingRetentionDays = 14;

struct StoreOptions {
  // Source of "now" for retention. nullptr: the system clock. Must outlive the store.
  const Clock* clock = nullptr;
  // Sightings of UTC day d are removed once today - d > retention_days.
  uint32_t retention_days = kSightingRetentionDays;
  // Create the directory (one level) and an empty store when none exists; otherwise a missing
  // store is kNotFound.
  bool create_if_missing = true;
  // Upper bound on the database file in bytes (0: none). A write that would pass it fails
  // with kResourceExhausted and leaves the store as it was, exactly like a full disk.
  uint64_t max_database_bytes = 0;
};

// What add_sightings did with a batch.
struct IngestReport {
  uint64_t stored = 0;   // sightings written
  uint64_t expired = 0;  // sightings skipped because their day is already past retention
};

// Figures kept in the store's sealed summary (no sighting is decrypted to produce them).
struct StoreStats {
  uint64_t sightings = 0;
  uint64_t chunks = 0;
  uint64_t own_keys = 0;
  std::map<uint32_t, uint64_t> sightings_per_day;  // UTC day number -> sightings
  uint64_t database_bytes = 0;                     // store.db
  uint64_t wal_bytes = 0;                          // store.db-wal (0 when absent)
};

// The app's pieces of state (see Store::save_app_state).
enum class AppStateSlot : uint8_t {
  kUpload = 1,  // what was uploaded after a positive test, and the revision token
  kCheck = 2,   // the exposure check: archives already processed, matched keys, notified days
};

struct AppStateRecord {
  AppStateSlot slot;
  ByteView plaintext;
};

// One open store. Not thread-safe: use one Store per thread (or serialise calls); several
// processes may open the same directory (SQLite locking; a busy store gives
// kFailedPrecondition after a 5 s wait).
class Store {
 public:
  // Opens (or creates, see StoreOptions) the store in `directory` (files store.db and its
  // WAL). kWrongKey when `key` is not the store's key, kCorrupt when the file is not an intact
  // store, kUnsupported for an unknown format version, kIoError when the file system fails.
  // Removes expired sightings.
  static Result<std::unique_ptr<Store>> open(const std::string& directory, const StorageKey& key,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores one batch in one transaction: all of it or, on any error, none of it. Sightings of
  // a day already past retention are skipped (counted in `expired`). Sightings are kept
  // individually (the matcher's exposure windows need every one); sightings of one RPI within
  // one scan share one encoded header (see docs/store.md). Also removes expired sightings.
  // kResourceExhausted when the disk (or max_database_bytes) is full.
  Result<IngestReport> add_sightings(std::span<const Sighting> batch);

  // Appends every retained sighting to `out` in one pass (after removing expired ones),
  // decrypting chunk by chunk straight into `out`, whose capacity is reserved once from the
  // summary. Order: by chunk (ingest order), then by RPI and time within a chunk. kCorrupt
  // when a record fails authentication or records were added or removed outside the store;
  // on any error `out` is left at its previous size.
  Status load_sightings(std::vector<Sighting>* out);

  // Calls `visit` for every retained sighting, in load_sightings order. Each chunk is
  // authenticated before any of its sightings is visited; a missing or extra chunk is only
  // detected at the end, so on an error some sightings may already have been visited.
  Status for_each_sighting(const std::function<void(const Sighting&)>& visit);

  // Replaces the stored own-key history with `keys` (in that order), in one transaction.
  // kInvalidArgument when a key's rolling_period is outside 1..144.
  Status save_own_keys(std::span<const TemporaryExposureKey> keys);

  // Replaces `*out` with the stored own-key history (empty when none was saved).
  Status load_own_keys(std::vector<TemporaryExposureKey>* out);

  // ---- App state: what the app module (exposure/app.h) keeps between runs ----------------
  // Each slot holds one sealed record whose bytes the app module defines (docs/store.md, "App
  // state"). Records are authenticated like every other record, and the summary holds each
  // slot's generation, so an old record put back in place is reported as kCorrupt.

  // Replaces the records of the slots in `records` in one transaction: after a crash either
  // every record given is in place or none is. kInvalidArgument when a slot appears twice.
  Status save_app_state(std::span<const AppStateRecord> records);

  // Replaces `*out` with the record of `slot` (empty when none was ever saved). The bytes
  // may hold secrets: wipe them when done (secure_wipe).
  Status load_app_state(AppStateSlot slot, Bytes* out);

  // Removes sightings of days past retention (done automatically by open, add_sightings and
  // load_sightings). Returns the number of sightings removed.
  Result<uint64_t> remove_expired();

  // Re-encrypts every record under `new_key` in one transaction, then truncates the WAL so
  // no record under the old key stays in the files. Afterwards only `new_key` opens the store.
  Status rotate_key(const StorageKey& new_key);

  // Counts from the sealed summary and the sizes of the files.
  Result<StoreStats> stats();

  // The implementation's state (opaque; defined inside the library).
  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Deletes the store in `directory` without needing its key: every store file (store.db, its
// WAL, shared-memory and journal files) is overwritten with zeros, synced and unlinked, then
// the directory is removed if it is left empty. No Store may be open on it. Succeeds when
// there is nothing to delete. See docs/store.md for what overwriting does and does not
// guarantee on flash storage.
Status wipe_store(const std::string& directory);

// The database file of the store in `directory` ("<directory>/store.db").
std::string store_database_path(const std::string& directory);

}  // namespace exposure
