#include "storage/postgres/pg_connection.h"

#include <charconv>

namespace exposure::server::postgres {
namespace {

// libpq messages span lines ("...failed: Connection refused\n\tIs the server running...").
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool is_postgres_url(std::string_view url) {
  return starts_with(url, "postgres://") || starts_with(url, "postgresql://");
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  // user:password@host
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t authority = scheme + 3;
    const size_t end = out.find_first_of("/?", authority);
    const size_t at = out.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= authority) {
      const size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=... or &password=...
  for (size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    const size_t value = pos + 9;
    const size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

Params& Params::add(ByteView blob) {
  values_.emplace_back(reinterpret_cast<const char*>(blob.data()), blob.size());
  null_.push_back(false);
  binary_.push_back(true);
  return *this;
}

Params& Params::add_text(std::string text) {
  values_.push_back(std::move(text));
  null_.push_back(false);
  binary_.push_back(false);
  return *this;
}

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  int64_t v = 0;
  if (n) std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

int64_t Rows::integer(int row, int col) const {
  const char* p = PQgetvalue(result_.get(), row, col);
  const int n = PQgetlength(result_.get(), row, col);
  int64_t v = 0;
  std::from_chars(p, p + n, v);
  return v;
}

bool Rows::boolean(int row, int col) const {
  const char* p = PQgetvalue(result_.get(), row, col);
  return p && p[0] == 't';
}

std::string Rows::text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col), static_cast<size_t>(PQgetlength(result_.get(), row, col)));
}

Bytes Rows::bytes(int row, int col) const {
  if (is_null(row, col)) return {};
  size_t n = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, col)), &n);
  if (!raw) return {};
  Bytes out(raw, raw + n);
  PQfreemem(raw);
  return out;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (!options) {
    std::string message = parse_error ? one_line(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return invalid_argument("--db: bad PostgreSQL URI " + redact_url(url) + ": " + message);
  }
  PQconninfoFree(options);
  // The URI (expanded from "dbname") comes last, so its own settings win over these defaults.
  const char* const keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* const values[] = {"10", "exposure-server", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn) return Status(ErrorCode::kIoError, "--db: cannot connect to " + redact_url(url) + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = one_line(PQerrorMessage(conn));
    PQfinish(conn);
    return Status(ErrorCode::kIoError, "--db: cannot connect to " + redact_url(url) + ": " + message);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Status Connection::failure(const char* what, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string code = state ? state : "";
  const std::string message = primary ? one_line(primary) : one_line(PQerrorMessage(conn_));
  const ErrorCode error = starts_with(code, "23") ? ErrorCode::kAlreadyExists : ErrorCode::kIoError;
  last_failure_retryable_ = code == "40001" || code == "40P01";
  last_failure_ =
      Status(error, std::string("postgres ") + what + ": " + message + (code.empty() ? "" : " (" + code + ")"));
  return last_failure_;
}

Status Connection::exec(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  const ExecStatusType status = PQresultStatus(result);
  Status st = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) ? Status::Ok() : failure("exec", result);
  PQclear(result);
  return st;
}

Result<Rows> Connection::run(const char* sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size());
    PGresult* result = PQprepare(conn_, name.c_str(), sql, 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      Status st = failure("prepare", result);
      PQclear(result);
      return st;
    }
    PQclear(result);
    it = prepared_.emplace(sql, name).first;
  }
  const size_t n = params.values_.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n), formats(n);
  for (size_t i = 0; i < n; ++i) {
    values[i] = params.null_[i] ? nullptr : params.values_[i].data();
    lengths[i] = static_cast<int>(params.values_[i].size());
    formats[i] = params.binary_[i] ? 1 : 0;
  }
  PGresult* result = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(n), values.data(), lengths.data(),
                                    formats.data(), 0);
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  Status st = failure("statement", result);
  PQclear(result);
  return st;
}

}  // namespace exposure::server::postgres
