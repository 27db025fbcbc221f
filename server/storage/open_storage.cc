// The one place that maps a --db value to a Storage implementation.
#include "common/text.h"
#include "storage/postgres/pg_storage.h"
#include "storage/sqlite/sqlite_storage.h"
#include "storage/storage.h"

namespace exposure::server {

Result<std::unique_ptr<Storage>> open_storage(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (postgres::is_postgres_url(url)) {
    auto storage = postgres::PgStorage::open(std::string(url));
    if (!storage.ok()) return storage.status();
    return std::unique_ptr<Storage>(std::move(*storage));
  }
  std::string_view path = url;
  if (url.substr(0, kSqlite.size()) == kSqlite) {
    path = url.substr(kSqlite.size());
  } else if (url.find("://") != std::string_view::npos) {
    return invalid_argument("--db: unsupported storage \"" + printable(postgres::redact_url(url)) +
                            "\" (use sqlite:PATH or postgres://...)");
  }
  if (path.empty()) return invalid_argument("--db: missing SQLite path (use sqlite:PATH)");
  auto storage = sqlite::SqliteStorage::open(std::string(path));
  if (!storage.ok()) return storage.status();
  return std::unique_ptr<Storage>(std::move(*storage));
}

}  // namespace exposure::server
