#include "store/sqlite_db.h"

#include <atomic>
#include <limits>
#include <utility>

#include "store/write_hook.h"

namespace exposure::store_internal {

namespace {
std::atomic<WriteHook> installed_write_hook{nullptr};
}  // namespace

void set_write_hook(WriteHook hook) { installed_write_hook.store(hook); }

void call_write_hook(WritePoint point, uint64_t writes) {
  if (WriteHook hook = installed_write_hook.load(std::memory_order_acquire)) hook(point, writes);
}

Status sqlite_status(int rc, sqlite3* db, std::string_view doing) {
  std::string detail = sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errcode(db) == rc) detail = sqlite3_errmsg(db);
  std::string message = std::string(doing) + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return {ErrorCode::kResourceExhausted,
              std::string(doing) + ": disk full or store size limit reached"};
    case SQLITE_NOMEM:
      return {ErrorCode::kResourceExhausted, message};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {ErrorCode::kCorrupt, message};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorCode::kFailedPrecondition, message + " (store in use by another process)"};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return {ErrorCode::kIoError, message};
    default:
      return {ErrorCode::kInternal, message};
  }
}

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Status Statement::bind_int64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  return rc == SQLITE_OK ? Status::Ok() : sqlite_status(rc, db_->handle(), "binding a value");
}

Status Statement::bind_blob(int index, ByteView value) {
  if (value.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return {ErrorCode::kResourceExhausted, "record too large for SQLite"};
  }
  // A zero-length blob still needs a non-null pointer to be a blob rather than NULL.
  static const uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  int rc = sqlite3_bind_blob(stmt_, index, data, static_cast<int>(value.size()), SQLITE_STATIC);
  return rc == SQLITE_OK ? Status::Ok() : sqlite_status(rc, db_->handle(), "binding a blob");
}

Status Statement::bind_text(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  return rc == SQLITE_OK ? Status::Ok() : sqlite_status(rc, db_->handle(), "binding a text");
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    if (!sqlite3_stmt_readonly(stmt_)) db_->note_write();
    return false;
  }
  return sqlite_status(rc, db_->handle(), "running a statement");
}

Status Statement::run() {
  auto done = step();
  reset();
  if (!done.ok()) return done.status();
  return Status::Ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(stmt_, column); }

ByteView Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const uint8_t*>(data), static_cast<size_t>(size)};
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  if (rc != SQLITE_OK) {
    Status status = sqlite_status(rc, db, "opening " + path);
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::exec(const char* sql) {
  EXPOSURE_RETURN_IF_ERROR(exec_control(sql));
  note_write();
  return Status::Ok();
}

Status Database::exec_control(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : sqlite_status(rc, db_, std::string("running ") + sql);
}

void Database::note_write() {
  if (writing_) call_write_hook(WritePoint::kWrote, ++writes_);
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_status(rc, db_, "preparing " + std::string(sql));
  }
  return Statement(this, stmt);
}

Result<std::string> Database::query_text(const char* sql) {
  auto stmt = prepare(sql);
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->step();
  if (!row.ok()) return row.status();
  if (!*row) return std::string();
  return stmt->column_text(0);
}

Result<std::unique_ptr<Transaction>> Transaction::begin(Database& db, Kind kind) {
  const bool write = kind == Kind::kWrite;
  EXPOSURE_RETURN_IF_ERROR(db.exec_control(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  std::unique_ptr<Transaction> txn(new Transaction(db));
  if (write) {
    db.writing_ = true;
    db.writes_ = 0;
    call_write_hook(WritePoint::kBegun, 0);
  }
  return txn;
}

Transaction::~Transaction() {
  if (open_) {
    db_.writing_ = false;
    (void)db_.exec_control("ROLLBACK");
  }
}

Status Transaction::commit() {
  const bool write = db_.writing_;
  if (write) call_write_hook(WritePoint::kCommitting, db_.writes_);
  EXPOSURE_RETURN_IF_ERROR(db_.exec_control("COMMIT"));
  open_ = false;
  db_.writing_ = false;
  if (write) call_write_hook(WritePoint::kCommitted, db_.writes_);
  return Status::Ok();
}

}  // namespace exposure::store_internal
