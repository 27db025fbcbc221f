// The tables, columns and indexes a real database reports about itself (SQLite:
// sqlite_master and the table_info/index_list/index_info pragmas; PostgreSQL:
// information_schema and pg_index), in the portable terms of the schema description
// (storage/schema/schema.h), as text that compares line by line.
#pragma once

#include <string>

#include "exposure/status.h"

namespace exposure::server::testing {

// The catalogue of the database behind a --db value ("sqlite:PATH" or "postgres://..."),
// without schema_migrations. One line per table, column, primary key, unique constraint and
// index, sorted, e.g.
//   table exposures
//   column exposures.revised_report_type text not null default ''
//   primary key exposures(key_data)
//   index exposures.exposures_revised_at(revised_at) where revised_at is not null
// Types are integer, bool, text, bytes or serial (schema::Type); `sqlite_types` reads
// PostgreSQL's boolean as integer, as SQLite stores it. Primary key columns read as not null
// (PostgreSQL enforces it; SQLite tables made before the description lack the keyword).
Result<std::string> read_catalogue(const std::string& url, bool sqlite_types = false);

// The same text for the tables the schema description ends with (schema::tables()).
std::string described_catalogue(bool sqlite_types = false);

}  // namespace exposure::server::testing
