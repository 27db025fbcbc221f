// A thin RAII layer over libpq: one connection, statements prepared once per connection
// and run with typed parameters (bytea sent binary, everything else as text), results read
// as text. Used only by the PostgreSQL implementation of Storage.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "exposure/status.h"

namespace exposure::server::postgres {

// True for "postgres://..." and "postgresql://..." (the libpq URI schemes).
bool is_postgres_url(std::string_view url);
// `url` with any password (user:PASSWORD@ or password=...) replaced by "***", for messages.
std::string redact_url(std::string_view url);

// Statement parameters in the order of the SQL text's $1, $2, ...
class Params {
 public:
  Params& add(int64_t v) { return add_text(std::to_string(v)); }
  Params& add(int v) { return add(static_cast<int64_t>(v)); }
  Params& add(uint32_t v) { return add(static_cast<int64_t>(v)); }
  Params& add(bool v) { return add_text(v ? "true" : "false"); }
  Params& add(std::string_view text) { return add_text(std::string(text)); }
  Params& add(const std::string& text) { return add_text(text); }
  Params& add(const char* text) { return add_text(text); }
  Params& add(ByteView blob);
  template <typename T>
  Params& add(const std::optional<T>& v) {
    if (v) return add(*v);
    values_.emplace_back();
    null_.push_back(true);
    binary_.push_back(false);
    return *this;
  }
  template <typename... Args>
  static Params of(const Args&... args) {
    Params p;
    (p.add(args), ...);
    return p;
  }

 private:
  friend class Connection;
  Params& add_text(std::string text);
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<bool> binary_;
};

// The rows of one statement (text format). Row and column indexes are 0-based.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  // Rows inserted, updated or deleted by the statement.
  int64_t affected() const;
  bool is_null(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  int64_t integer(int row, int col) const;
  std::optional<int64_t> optional_integer(int row, int col) const {
    return is_null(row, col) ? std::nullopt : std::optional<int64_t>(integer(row, col));
  }
  bool boolean(int row, int col) const;
  std::string text(int row, int col) const;
  // A bytea column (empty when NULL or undecodable).
  Bytes bytes(int row, int col) const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class Connection {
 public:
  // Connects with a libpq URI. kInvalidArgument for a malformed URI, kIoError when the
  // server cannot be reached; one-line messages without the password.
  static Result<std::unique_ptr<Connection>> open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text without parameters (BEGIN, COMMIT, DDL; may hold several statements).
  Status exec(const char* sql);
  // Runs `sql` (a string with static storage duration), prepared on first use.
  // kAlreadyExists for a constraint violation, kIoError otherwise.
  Result<Rows> run(const char* sql, const Params& params = {});

  // Whether the connection is usable and not inside a failed transaction.
  bool healthy() const;
  bool in_failed_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  // The last failure was a deadlock or serialization conflict: the transaction may be re-run.
  bool last_failure_retryable() const { return last_failure_retryable_; }
  const Status& last_failure() const { return last_failure_; }
  void clear_failure() {
    last_failure_retryable_ = false;
    last_failure_ = Status::Ok();
  }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Status failure(const char* what, const PGresult* result);
  PGconn* conn_;
  std::map<const char*, std::string> prepared_;  // SQL text -> statement name
  bool last_failure_retryable_ = false;
  Status last_failure_ = Status::Ok();
};

}  // namespace exposure::server::postgres
