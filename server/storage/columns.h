// Column encodings shared by the SQL implementations of Storage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exposure/bytes.h"
#include "storage/records.h"

namespace exposure::server {

// A 32-byte hash column (zeros when the column has another size).
Hash to_hash(ByteView b);

// "JP,US" <-> {"JP", "US"}: regions are stored as one comma-separated column.
std::string join_regions(const std::vector<std::string>& regions);
std::vector<std::string> split_regions(std::string_view text);

}  // namespace exposure::server
