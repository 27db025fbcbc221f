#include "tests/test_database.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "exposure/crypto.h"

namespace exposure::server::testing {
namespace {

std::string pg_url_file() {
  const char* file = std::getenv("EXPOSURE_TEST_PG_URL_FILE");
  return file ? file : "";
}

Status pg_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Status(ErrorCode::kIoError, "connect: " + message);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  Status st = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                  ? Status::Ok()
                  : Status(ErrorCode::kIoError, sql + ": " + PQresultErrorMessage(result));
  PQclear(result);
  PQfinish(conn);
  return st;
}

// "postgres://user@host:port/db?x" with the database replaced by `name`.
std::string with_database(const std::string& url, const std::string& name) {
  const size_t authority = url.find("://") + 3;
  const size_t slash = url.find('/', authority);
  const size_t query = url.find('?', authority);
  std::string base = url.substr(0, std::min(slash, query));
  return base + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

bool testing_postgres() { return !pg_url_file().empty(); }

TestDatabase::TestDatabase(const std::string& dir) {
  if (!testing_postgres()) {
    url_ = "sqlite:" + dir + "/server.db";
    return;
  }
  std::ifstream in(pg_url_file());
  std::getline(in, pg_admin_url_);
  if (pg_admin_url_.empty()) throw std::runtime_error("no PostgreSQL URL in " + pg_url_file());
  Bytes id(8);
  crypto::random_bytes(id);
  pg_name_ = "test_" + to_hex(id);
  Status st = pg_exec(pg_admin_url_, "CREATE DATABASE " + pg_name_);
  if (!st.ok()) throw std::runtime_error("cannot create the test database: " + st.to_string());
  url_ = with_database(pg_admin_url_, pg_name_);
}

TestDatabase::~TestDatabase() {
  if (!pg_name_.empty()) (void)pg_exec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
}

Status TestDatabase::exec(const std::string& sql) const {
  if (is_postgres()) return pg_exec(url_, sql);
  const std::string path = url_.substr(std::string("sqlite:").size());
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status(ErrorCode::kIoError, "cannot open " + path);
  }
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  Status st = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK
                  ? Status::Ok()
                  : Status(ErrorCode::kIoError, sql + ": " + (message ? message : "failed"));
  sqlite3_free(message);
  sqlite3_close(db);
  return st;
}

}  // namespace exposure::server::testing
