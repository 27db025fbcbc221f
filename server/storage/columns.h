// Column encodings shared by the SQL implementations of Storage.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "storage/records.h"

namespace exposure::server {

// A 32-byte hash column (zeros when the column has another size).
Hash to_hash(ByteView b);

// Copies `from` into `to` when the sizes match (leaves `to` as it is otherwise).
template <size_t N>
void copy_exact(ByteView from, std::array<uint8_t, N>* to) {
  if (from.size() == N) std::memcpy(to->data(), from.data(), N);
}

// Small integers (days since onset, risk levels) are 64-bit integer columns.
inline std::optional<int32_t> narrow(const std::optional<int64_t>& v) {
  return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
}
inline std::optional<int64_t> widen(const std::optional<int32_t>& v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

// "JP,US" <-> {"JP", "US"}: regions are stored as one comma-separated column.
std::string join_regions(const std::vector<std::string>& regions);
std::vector<std::string> split_regions(std::string_view text);

}  // namespace exposure::server
