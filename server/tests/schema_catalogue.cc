#include "tests/schema_catalogue.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "storage/postgres/pg_connection.h"
#include "storage/schema/schema.h"
#include "storage/sqlite/sqlite_db.h"

namespace exposure::server::testing {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "(revised_at IS NOT NULL)" and "revised_at IS NOT NULL" both -> "revised_at is not null".
std::string normal_predicate(const std::string& sql) {
  std::string out;
  for (char c : sql) {
    if (c == '(' || c == ')') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The lines of one catalogue, collected in any order and sorted at the end.
class Lines {
 public:
  void table(const std::string& t) { lines_.push_back("table " + t); }
  void column(const std::string& t, const std::string& c, const std::string& type, bool nullable,
              const std::string& default_value) {
    lines_.push_back("column " + t + "." + c + " " + type + (nullable ? " null" : " not null") +
                     (default_value.empty() ? "" : " default " + default_value));
  }
  void primary_key(const std::string& t, const std::string& columns) {
    lines_.push_back("primary key " + t + "(" + columns + ")");
  }
  void unique(const std::string& t, const std::string& columns) {
    lines_.push_back("unique " + t + "(" + columns + ")");
  }
  void index(const std::string& t, const std::string& name, const std::string& columns, bool unique,
             const std::string& where) {
    const std::string predicate = normal_predicate(where);
    lines_.push_back("index " + t + "." + name + "(" + columns + ")" + (unique ? " unique" : "") +
                     (predicate.empty() ? "" : " where " + predicate));
  }
  std::string text() {
    std::sort(lines_.begin(), lines_.end());
    std::string out;
    for (const std::string& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::vector<std::string> lines_;
};

const char* type_name(schema::Type t, bool sqlite_types) {
  switch (t) {
    case schema::Type::kInteger:
      return "integer";
    case schema::Type::kBool:
      return sqlite_types ? "integer" : "bool";
    case schema::Type::kText:
      return "text";
    case schema::Type::kBytes:
      return "bytes";
    case schema::Type::kSerial:
      return sqlite_types ? "integer" : "serial";
  }
  return "?";
}

#define SQLITE_USER_TABLES \
  "m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'"

// SQLite's declared types as the renderer writes them. An INTEGER key may be a rowid the
// database assigns or a plain integer, and a boolean is an INTEGER: SQLite cannot tell, so
// its catalogue says integer for all three.
std::string sqlite_type(const std::string& declared) {
  if (declared == "INTEGER") return "integer";
  if (declared == "TEXT") return "text";
  if (declared == "BLOB") return "bytes";
  return "unknown type " + declared;
}

template <typename Row>
Status each_row(sqlite::Statement& s, const Row& row) {
  while (true) {
    auto next = s.step();
    if (!next.ok()) return next.status();
    if (!*next) return Status::Ok();
    row();
  }
}

Result<std::string> sqlite_catalogue(const std::string& path) {
  auto opened = sqlite::Database::open(path);
  if (!opened.ok()) return opened.status();
  sqlite::Database& db = **opened;
  Lines lines;
  std::map<std::string, std::map<int64_t, std::string>>
      primary_keys;  // table -> position -> column
  {
    auto s = db.prepare(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
        "FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE " SQLITE_USER_TABLES);
    if (!s.ok()) return s.status();
    sqlite::Statement& st = **s;
    EXPOSURE_RETURN_IF_ERROR(each_row(st, [&] {
      const bool in_key = st.integer(5) > 0;
      lines.column(st.text(0), st.text(1), sqlite_type(st.text(2)), st.integer(3) == 0 && !in_key,
                   st.text(4));
      if (in_key) primary_keys[st.text(0)][st.integer(5)] = st.text(1);
    }));
  }
  {
    auto s = db.prepare("SELECT m.name FROM sqlite_master m WHERE " SQLITE_USER_TABLES);
    if (!s.ok()) return s.status();
    sqlite::Statement& st = **s;
    EXPOSURE_RETURN_IF_ERROR(each_row(st, [&] { lines.table(st.text(0)); }));
  }
  for (const auto& [table, columns] : primary_keys) {
    std::vector<std::string> names;
    for (const auto& [position, name] : columns) names.push_back(name);
    lines.primary_key(table, join(names));
  }
  struct IndexRow {
    std::string table, name, origin, sql;
    bool unique;
  };
  std::vector<IndexRow> indexes;
  {
    auto s = db.prepare(
        "SELECT m.name, l.name, l.\"unique\", l.origin, COALESCE(i.sql, '') "
        "FROM sqlite_master m JOIN pragma_index_list(m.name) l "
        "LEFT JOIN sqlite_master i ON i.type = 'index' AND i.name = l.name "
        "WHERE " SQLITE_USER_TABLES);
    if (!s.ok()) return s.status();
    sqlite::Statement& st = **s;
    EXPOSURE_RETURN_IF_ERROR(each_row(st, [&] {
      indexes.push_back({st.text(0), st.text(1), st.text(3), st.text(4), st.integer(2) != 0});
    }));
  }
  for (const IndexRow& ix : indexes) {
    if (ix.origin == "pk") continue;  // the primary key, listed above
    std::vector<std::string> columns;
    auto s = db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno");
    if (!s.ok()) return s.status();
    sqlite::Statement& st = **s;
    st.bind_all(ix.name);
    EXPOSURE_RETURN_IF_ERROR(each_row(st, [&] { columns.push_back(st.text(0)); }));
    if (ix.origin == "u") {
      lines.unique(ix.table, join(columns));
      continue;
    }
    const size_t where = ix.sql.find(" WHERE ");
    lines.index(ix.table, ix.name, join(columns), ix.unique,
                where == std::string::npos ? "" : ix.sql.substr(where + 7));
  }
  return lines.text();
}

std::string postgres_type(const std::string& type, bool identity, bool sqlite_types) {
  if (identity) return type_name(schema::Type::kSerial, sqlite_types);
  if (type == "bigint") return "integer";
  if (type == "boolean") return type_name(schema::Type::kBool, sqlite_types);
  if (type == "text") return "text";
  if (type == "bytea") return "bytes";
  return "unknown type " + type;
}

// "''::text" -> "''": PostgreSQL reports a default with its cast.
std::string postgres_default(std::string value) {
  const size_t cast = value.rfind("::");
  if (cast != std::string::npos && value.find('\'', cast) == std::string::npos) value.resize(cast);
  return value;
}

#define PG_USER_TABLE(column) column " <> 'schema_migrations'"

Result<std::string> postgres_catalogue(const std::string& url, bool sqlite_types) {
  auto opened = postgres::Connection::open(url);
  if (!opened.ok()) return opened.status();
  postgres::Connection& conn = **opened;
  Lines lines;
  auto tables = conn.run(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' AND " PG_USER_TABLE("table_name"));
  if (!tables.ok()) return tables.status();
  for (int i = 0; i < tables->size(); ++i) lines.table(tables->text(i, 0));
  auto columns = conn.run(
      "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES', "
      "COALESCE(c.column_default, ''), "
      "c.is_identity = 'YES' FROM information_schema.columns c JOIN information_schema.tables t "
      "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
      "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND " PG_USER_TABLE(
          "c.table_name"));
  if (!columns.ok()) return columns.status();
  for (int i = 0; i < columns->size(); ++i) {
    lines.column(columns->text(i, 0), columns->text(i, 1),
                 postgres_type(columns->text(i, 2), columns->boolean(i, 5), sqlite_types),
                 columns->boolean(i, 3), postgres_default(columns->text(i, 4)));
  }
  auto constraints = conn.run(
      "SELECT tc.table_name, tc.constraint_type, string_agg(k.column_name, ', ' ORDER BY k.ordinal_position) "
      "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k "
      "ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name "
      "AND k.table_name = tc.table_name WHERE tc.table_schema = current_schema() "
      "AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND " PG_USER_TABLE("tc.table_name") " "
      "GROUP BY tc.table_name, tc.constraint_type, tc.constraint_name");
  if (!constraints.ok()) return constraints.status();
  for (int i = 0; i < constraints->size(); ++i) {
    if (constraints->text(i, 1) == "PRIMARY KEY")
      lines.primary_key(constraints->text(i, 0), constraints->text(i, 2));
    else
      lines.unique(constraints->text(i, 0), constraints->text(i, 2));
  }
  // Indexes of their own (not those behind a primary key or unique constraint).
  auto indexes = conn.run(
      "SELECT t.relname, c.relname, ix.indisunique, COALESCE(pg_get_expr(ix.indpred, ix.indrelid), ''), "
      "(SELECT string_agg(a.attname, ', ' ORDER BY u.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY "
      "AS u(attnum, ord) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = u.attnum) "
      "FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
      "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() "
      "AND " PG_USER_TABLE("t.relname") " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid)");
  if (!indexes.ok()) return indexes.status();
  for (int i = 0; i < indexes->size(); ++i) {
    lines.index(indexes->text(i, 0), indexes->text(i, 1), indexes->text(i, 4),
                indexes->boolean(i, 2), indexes->text(i, 3));
  }
  return lines.text();
}

}  // namespace

Result<std::string> read_catalogue(const std::string& url, bool sqlite_types) {
  if (postgres::is_postgres_url(url)) return postgres_catalogue(url, sqlite_types);
  const std::string prefix = "sqlite:";
  return sqlite_catalogue(url.rfind(prefix, 0) == 0 ? url.substr(prefix.size()) : url);
}

std::string described_catalogue(bool sqlite_types) {
  Lines lines;
  for (const schema::Table& t : schema::tables()) {
    lines.table(t.name);
    for (const schema::Column& c : t.columns) {
      lines.column(t.name, c.name, type_name(c.type, sqlite_types), c.nullable, c.default_value);
    }
    lines.primary_key(t.name, join(t.primary_key));
    for (const auto& u : t.unique) lines.unique(t.name, join(u));
    for (const schema::Index& ix : t.indexes)
      lines.index(t.name, ix.name, join(ix.columns), false, ix.where);
  }
  return lines.text();
}

}  // namespace exposure::server::testing
