// Batches of rows as one parameter per column: PostgreSQL array literals that a statement
// unnests, so many rows travel in one round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "exposure/bytes.h"
#include "storage/postgres/pg_connection.h"

namespace exposure::server::postgres {

// A PostgreSQL array literal ({"a","b",NULL}) built element by element, so a batch of
// rows travels as one parameter per column (unnest) in one round trip.
class ArrayLiteral {
 public:
  void add(std::string_view text) {
    separate();
    out_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void add(int64_t v) { add(std::string_view(std::to_string(v))); }
  void add(bool v) { add(std::string_view(v ? "true" : "false")); }
  void add(ByteView bytes) { add(std::string_view(to_hex(bytes))); }  // decode(x, 'hex') in SQL
  template <typename T>
  void add(const std::optional<T>& v) {
    if (v) return add(int64_t{*v});
    separate();
    out_ += "NULL";
  }
  std::string text() const { return out_ + "}"; }

 private:
  void separate() {
    if (out_.size() > 1) out_ += ',';
  }
  std::string out_ = "{";
};

// One array per column: columns[i] gets the i-th value of each row.
template <size_t N>
struct Columns {
  ArrayLiteral column[N];
  template <typename... Values>
  void add_row(const Values&... values) {
    static_assert(sizeof...(Values) == N);
    size_t i = 0;
    (column[i++].add(values), ...);
  }
  template <size_t... I>
  Params params(std::index_sequence<I...>) const {
    return Params::of(column[I].text()...);
  }
  Params params() const { return params(std::make_index_sequence<N>()); }
};

}  // namespace exposure::server::postgres
