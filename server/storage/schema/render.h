// SQL DDL for one migration of the schema description (schema.h), per backend.
#pragma once

#include <string>

#include "storage/schema/schema.h"

namespace exposure::server::schema {

// The migration's statements, separated by ";\n". Tables and indexes are created IF NOT
// EXISTS and columns added (PostgreSQL) IF NOT EXISTS, so a step an older database already
// has does nothing.
std::string sqlite_ddl(const Migration& migration);
std::string postgres_ddl(const Migration& migration);

}  // namespace exposure::server::schema
