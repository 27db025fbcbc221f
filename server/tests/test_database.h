// The database a server test runs against, chosen by the test run's environment:
// EXPOSURE_TEST_PG_URL_FILE names a file holding the URL of a PostgreSQL server (written by
// `scripts/pg-throwaway.sh start`, see server/tests/CMakeLists.txt); without it, SQLite.
#pragma once

#include <string>

#include "exposure/status.h"

namespace exposure::server::testing {

// True when the test run targets PostgreSQL.
bool testing_postgres();

class TestDatabase {
 public:
  // A new, empty database: the SQLite file `dir`/server.db, or a fresh PostgreSQL database
  // (dropped by the destructor). Throws std::runtime_error when it cannot be created.
  explicit TestDatabase(const std::string& dir);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The --db value ("sqlite:PATH" or "postgres://...").
  const std::string& url() const { return url_; }
  bool is_postgres() const { return !pg_name_.empty(); }
  // Runs SQL without results directly on the database (behind the server's back).
  Status exec(const std::string& sql) const;

 private:
  std::string url_;
  std::string pg_admin_url_;
  std::string pg_name_;
};

}  // namespace exposure::server::testing
