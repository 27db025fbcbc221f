// The one description of the server's tables, both SQL backends' schemas are made from.
//
// The description is data: tables with portable column types, primary keys, unique
// constraints and indexes (partial ones too), grouped into an append-only list of numbered
// migrations. render.h turns each migration into SQLite or PostgreSQL DDL; both backends'
// migrate() apply, in list order, every migration not yet recorded in schema_migrations.
// The schema test (schema_test.cc) checks that fresh databases of both backends, and
// databases made before this description existed, end with the same tables, columns and
// indexes as tables() says. How to add a migration: docs/server.md, "Storage".
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace exposure::server::schema {

// Portable column types. SQLite keeps kBool as a 0/1 INTEGER (it has no boolean type);
// kSerial is a 64-bit key the database assigns on insert (an INTEGER PRIMARY KEY rowid
// alias in SQLite, an identity column in PostgreSQL) and must be the whole primary key.
enum class Type { kInteger, kBool, kText, kBytes, kSerial };

struct Column {
  std::string name;
  Type type = Type::kInteger;
  bool nullable = false;
  // An SQL literal both dialects read the same ('' or 0), or empty for no default.
  std::string default_value;
};
inline constexpr bool kNullable = true;

struct Index {
  std::string name;  // unique across the database
  std::vector<std::string> columns;
  // A partial index's predicate in SQL both dialects accept ("revised_at IS NOT NULL"),
  // or empty.
  std::string where;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<std::vector<std::string>> unique;  // UNIQUE constraints, one column list each
  std::vector<Index> indexes;
  // Rows are stored in primary key order (SQLite WITHOUT ROWID); PostgreSQL ignores it.
  // Only for tables without a kSerial key.
  bool clustered = false;
};

// The steps a migration is made of.
struct CreateTable {
  Table table;
};
struct CreateIndex {
  std::string table;
  Index index;
};
struct AddColumn {
  std::string table;
  Column column;  // nullable or with a default, so existing rows get a value
};
// Statements for one backend each, for moving data and for bringing databases made
// before this description into line. They must leave the tables as the other steps say.
struct BackendSql {
  std::string sqlite;
  std::string postgres;
};
using Step = std::variant<CreateTable, CreateIndex, AddColumn, BackendSql>;

struct Migration {
  int64_t version;   // ascending along the list, never reused
  std::string what;  // one line, for error messages
  std::vector<Step> steps;
};

// Every migration, oldest first. Append only: a released migration is never edited; a
// change comes as a new migration.
const std::vector<Migration>& migrations();

// The tables as the migrations leave them (their steps applied in order), by name.
std::vector<Table> tables();

// The migrations whose version is not in `applied`, in list order.
std::vector<const Migration*> pending(const std::set<int64_t>& applied);

}  // namespace exposure::server::schema
