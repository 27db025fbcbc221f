// Store: opening and creating, the schema, the sealed summary, retention and statistics.
#include "exposure/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <set>

#include "store/store_impl.h"

namespace exposure {

using store_internal::Database;
using store_internal::RecordIdentity;
using store_internal::RecordKind;
using store_internal::Sealer;
using store_internal::Summary;
using store_internal::Transaction;

namespace store_internal {

std::string describe_chunk(uint64_t id, uint32_t day) {
  return "sighting chunk " + std::to_string(id) + " (day " + format_utc_day(day) + ")";
}

Status with_context(const Status& status, const std::string& context) {
  if (status.ok()) return status;
  return {status.code(), context + ": " + status.message()};
}

}  // namespace store_internal

namespace {

constexpr int64_t kFormatVersion = 1;
constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE sighting_chunks(id INTEGER PRIMARY KEY, day INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX sighting_chunks_by_day ON sighting_chunks(day);
CREATE TABLE own_keys(generation INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE app_state(slot INTEGER PRIMARY KEY, generation INTEGER NOT NULL, sealed BLOB NOT NULL);
)sql";
// Stores made before app state existed get its table when they are first opened.
constexpr const char* kAppStateTable =
    "CREATE TABLE app_state(slot INTEGER PRIMARY KEY, generation INTEGER NOT NULL, sealed BLOB NOT NULL)";

bool path_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

uint64_t file_size(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

Status errno_status(const std::string& what) {
  return {ErrorCode::kIoError, what + ": " + std::strerror(errno)};
}

// Makes sure `directory` and an (empty) database file exist, creating them with owner-only
// permissions when allowed. SQLite gives the WAL and shared-memory files the database
// file's permissions.
Status prepare_files(const std::string& directory, const std::string& db_path, bool create) {
  if (!path_exists(directory)) {
    if (!create) return {ErrorCode::kNotFound, "no store in " + directory};
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
      return errno_status("creating " + directory);
    }
  }
  if (!path_exists(db_path)) {
    if (!create) return {ErrorCode::kNotFound, "no store in " + directory};
    int fd = ::open(db_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) return errno_status("creating " + db_path);
    if (fd >= 0) ::close(fd);
  }
  return Status::Ok();
}

Result<std::set<std::string>> table_names(Database& db) {
  auto stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!stmt.ok()) return stmt.status();
  std::set<std::string> names;
  for (;;) {
    auto row = stmt->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    names.insert(stmt->column_text(0));
  }
  return names;
}

Status put_meta(Database& db, std::string_view name, ByteView value) {
  auto stmt = db.prepare("INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)");
  if (!stmt.ok()) return stmt.status();
  EXPOSURE_RETURN_IF_ERROR(stmt->bind_text(1, name));
  EXPOSURE_RETURN_IF_ERROR(stmt->bind_blob(2, value));
  return stmt->run();
}

// Reads a meta value into `out`; kCorrupt when missing.
Status get_meta(Database& db, std::string_view name, Bytes* out) {
  auto stmt = db.prepare("SELECT value FROM meta WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  EXPOSURE_RETURN_IF_ERROR(stmt->bind_text(1, name));
  auto row = stmt->step();
  if (!row.ok()) return row.status();
  if (!*row) return {ErrorCode::kCorrupt, "meta entry '" + std::string(name) + "' missing"};
  ByteView value = stmt->column_blob(0);
  out->assign(value.begin(), value.end());
  return Status::Ok();
}

// Creates the tables and the first records of a new store under `key`.
Status initialize(Store::Impl& impl, const StorageKey& key) {
  EXPOSURE_RETURN_IF_ERROR(impl.db->exec(kSchema));
  const uint8_t format[] = {static_cast<uint8_t>(kFormatVersion)};
  EXPOSURE_RETURN_IF_ERROR(put_meta(*impl.db, "format", format));
  impl.store_id = store_internal::random_store_id();
  impl.sealer = std::make_unique<Sealer>(key, impl.store_id);
  EXPOSURE_RETURN_IF_ERROR(put_meta(*impl.db, "store_id", impl.store_id));
  EXPOSURE_RETURN_IF_ERROR(put_meta(*impl.db, "key_check", impl.sealer->key_check_value()));
  return impl.write_summary(Summary{}, *impl.sealer);
}

// Checks the format, reads the store id and verifies the key against the key check value.
Status check_existing(Store::Impl& impl, const StorageKey& key) {
  auto tables = table_names(*impl.db);
  if (!tables.ok()) return tables.status();
  for (const char* name : {"meta", "sighting_chunks", "own_keys"}) {
    if (!tables->contains(name)) {
      return {ErrorCode::kCorrupt, "not a store database (no table " + std::string(name) + ")"};
    }
  }
  Bytes format, store_id, key_check;
  EXPOSURE_RETURN_IF_ERROR(get_meta(*impl.db, "format", &format));
  if (format.size() != 1 || format[0] != kFormatVersion) {
    return {ErrorCode::kUnsupported,
            "store format " + (format.empty() ? std::string("?") : std::to_string(format[0])) +
                " (this library reads format " + std::to_string(kFormatVersion) + ")"};
  }
  EXPOSURE_RETURN_IF_ERROR(get_meta(*impl.db, "store_id", &store_id));
  EXPOSURE_RETURN_IF_ERROR(get_meta(*impl.db, "key_check", &key_check));
  if (store_id.size() != impl.store_id.size()) {
    return {ErrorCode::kCorrupt, "store id of " + std::to_string(store_id.size()) + " bytes"};
  }
  std::memcpy(impl.store_id.data(), store_id.data(), store_id.size());
  impl.sealer = std::make_unique<Sealer>(key, impl.store_id);
  if (!constant_time_equal(key_check, impl.sealer->key_check_value())) {
    return {ErrorCode::kWrongKey, "the storage key does not open this store (key check differs)"};
  }
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl.read_summary(&summary));
  if (!tables->contains("app_state")) {
    if (!summary.app_state_generations.empty()) {
      return {ErrorCode::kCorrupt, "the app-state table is missing"};
    }
    EXPOSURE_RETURN_IF_ERROR(impl.db->exec(kAppStateTable));
  }
  return Status::Ok();
}

// Schema set-up or verification, in one write transaction so two processes creating the
// same store cannot both initialise it.
Status open_schema(Store::Impl& impl, const StorageKey& key) {
  auto txn = Transaction::begin(*impl.db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  auto tables = table_names(*impl.db);
  if (!tables.ok()) return tables.status();
  if (tables->empty()) {
    if (!impl.options.create_if_missing) {
      return {ErrorCode::kNotFound, "no store (empty database file)"};
    }
    EXPOSURE_RETURN_IF_ERROR(initialize(impl, key));
  } else {
    EXPOSURE_RETURN_IF_ERROR(check_existing(impl, key));
  }
  return (*txn)->commit();
}

Status configure_connection(Store::Impl& impl) {
  sqlite3_busy_timeout(impl.db->handle(), kBusyTimeoutMs);
  // The first statement that reads the file: a file that is not SQLite fails here.
  auto mode = impl.db->query_text("PRAGMA journal_mode=WAL");
  if (!mode.ok() && mode.status().code() == ErrorCode::kCorrupt) {
    return {ErrorCode::kCorrupt,
            "not a store database (" + std::string(sqlite3_errmsg(impl.db->handle())) + ")"};
  }
  if (!mode.ok()) return mode.status();
  if (*mode != "wal")
    return {ErrorCode::kIoError, "cannot use WAL mode (journal mode " + *mode + ")"};
  // FULL: a batch is on stable storage when add_sightings returns (one fsync of the WAL per
  // batch, negligible at the scanner's one batch per few minutes). secure_delete zeroes
  // the space of deleted and replaced records.
  EXPOSURE_RETURN_IF_ERROR(impl.db->exec(
      "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA trusted_schema=OFF;"));
  if (impl.options.max_database_bytes > 0) {
    auto page_size = impl.db->query_text("PRAGMA page_size");
    if (!page_size.ok()) return page_size.status();
    uint64_t page_bytes = 0;
    std::from_chars(page_size->data(), page_size->data() + page_size->size(), page_bytes);
    if (page_bytes == 0) return {ErrorCode::kInternal, "unexpected page size " + *page_size};
    const uint64_t pages = std::max<uint64_t>(1, impl.options.max_database_bytes / page_bytes);
    EXPOSURE_RETURN_IF_ERROR(
        impl.db->exec(("PRAGMA max_page_count=" + std::to_string(pages)).c_str()));
  }
  return Status::Ok();
}

}  // namespace

std::string store_database_path(const std::string& directory) { return directory + "/store.db"; }

uint32_t Store::Impl::first_retained_day() const {
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  const int64_t now = clock.now_unix_seconds();
  const int64_t today = now > 0 ? now / kSecondsPerDay : 0;
  return today > int64_t{options.retention_days}
             ? static_cast<uint32_t>(today - options.retention_days)
             : 0;
}

Status Store::Impl::read_summary(Summary* out) {
  Bytes sealed;
  EXPOSURE_RETURN_IF_ERROR(get_meta(*db, "summary", &sealed));
  store_internal::PlaintextBuffer plain;
  if (!sealer->open(sealed, RecordIdentity{RecordKind::kSummary}, &plain)) {
    return {ErrorCode::kCorrupt, "the store's summary record failed authentication"};
  }
  return store_internal::with_context(store_internal::decode_summary(plain.view(), out),
                                      "summary record");
}

Status Store::Impl::write_summary(const Summary& summary, const Sealer& with) {
  store_internal::PlaintextBuffer plain;
  store_internal::encode_summary(summary, &plain);
  return put_meta(*db, "summary", with.seal(plain.view(), RecordIdentity{RecordKind::kSummary}));
}

Result<uint64_t> Store::Impl::delete_days_before(uint32_t first_day, Summary* summary) {
  uint64_t removed = 0;
  auto end = summary->days.lower_bound(first_day);
  for (auto it = summary->days.begin(); it != end; ++it) removed += it->second.sightings;
  summary->days.erase(summary->days.begin(), end);
  auto stmt = db->prepare("DELETE FROM sighting_chunks WHERE day < ?");
  if (!stmt.ok()) return stmt.status();
  EXPOSURE_RETURN_IF_ERROR(stmt->bind_int64(1, first_day));
  EXPOSURE_RETURN_IF_ERROR(stmt->run());
  return removed;
}

void Store::Impl::truncate_wal() {
  sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& directory, const StorageKey& key,
                                           const StoreOptions& options) {
  const std::string db_path = store_database_path(directory);
  EXPOSURE_RETURN_IF_ERROR(prepare_files(directory, db_path, options.create_if_missing));
  auto impl = std::make_unique<Impl>();
  impl->directory = directory;
  impl->options = options;
  auto db = Database::open(db_path);
  if (!db.ok()) return db.status();
  impl->db = std::move(*db);
  Status status = configure_connection(*impl);
  if (status.ok()) status = open_schema(*impl, key);
  if (!status.ok()) {
    if (status.code() == ErrorCode::kCorrupt || status.code() == ErrorCode::kWrongKey ||
        status.code() == ErrorCode::kUnsupported || status.code() == ErrorCode::kNotFound) {
      return store_internal::with_context(status, db_path);
    }
    return store_internal::with_context(status, "opening " + db_path);
  }
  std::unique_ptr<Store> store(new Store(std::move(impl)));
  auto removed = store->remove_expired();
  if (!removed.ok()) return removed.status();
  return store;
}

Result<uint64_t> Store::remove_expired() {
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  const uint32_t first_day = impl_->first_retained_day();
  if (summary.days.empty() || summary.days.begin()->first >= first_day) return uint64_t{0};
  auto removed = impl_->delete_days_before(first_day, &summary);
  if (!removed.ok()) return removed.status();
  EXPOSURE_RETURN_IF_ERROR(impl_->write_summary(summary, *impl_->sealer));
  EXPOSURE_RETURN_IF_ERROR((*txn)->commit());
  impl_->truncate_wal();
  return *removed;
}

Result<StoreStats> Store::stats() {
  auto txn = Transaction::begin(*impl_->db, Transaction::Kind::kRead);
  if (!txn.ok()) return txn.status();
  Summary summary;
  EXPOSURE_RETURN_IF_ERROR(impl_->read_summary(&summary));
  EXPOSURE_RETURN_IF_ERROR((*txn)->commit());
  StoreStats stats;
  stats.sightings = summary.total_sightings();
  stats.chunks = summary.total_chunks();
  stats.own_keys = summary.own_key_count;
  for (const auto& [day, totals] : summary.days) stats.sightings_per_day[day] = totals.sightings;
  const std::string db_path = store_database_path(impl_->directory);
  stats.database_bytes = file_size(db_path);
  stats.wal_bytes = file_size(db_path + "-wal");
  return stats;
}

}  // namespace exposure
