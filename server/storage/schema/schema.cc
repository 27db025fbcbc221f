#include "storage/schema/schema.h"

#include <algorithm>
#include <cstdlib>

namespace exposure::server::schema {
namespace {

Table& find(std::vector<Table>& tables, const std::string& name) {
  for (Table& t : tables) {
    if (t.name == name) return t;
  }
  std::abort();  // a step names a table no earlier step made: a bug in migrations.cc
}

}  // namespace

std::vector<Table> tables() {
  std::vector<Table> out;
  for (const Migration& m : migrations()) {
    for (const Step& step : m.steps) {
      if (const auto* create = std::get_if<CreateTable>(&step)) out.push_back(create->table);
      if (const auto* index = std::get_if<CreateIndex>(&step))
        find(out, index->table).indexes.push_back(index->index);
      if (const auto* add = std::get_if<AddColumn>(&step))
        find(out, add->table).columns.push_back(add->column);
      // BackendSql steps leave the tables as they are (schema.h).
    }
  }
  std::sort(out.begin(), out.end(), [](const Table& a, const Table& b) { return a.name < b.name; });
  return out;
}

std::vector<const Migration*> pending(const std::set<int64_t>& applied) {
  std::vector<const Migration*> out;
  for (const Migration& m : migrations()) {
    if (!applied.contains(m.version)) out.push_back(&m);
  }
  return out;
}

}  // namespace exposure::server::schema
