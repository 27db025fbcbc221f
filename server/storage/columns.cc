#include "storage/columns.h"

#include <cstring>

#include "common/text.h"

namespace exposure::server {

Hash to_hash(ByteView b) {
  Hash h{};
  if (b.size() == h.size()) std::memcpy(h.data(), b.data(), h.size());
  return h;
}

std::string join_regions(const std::vector<std::string>& regions) {
  std::string out;
  for (const std::string& r : regions) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

std::vector<std::string> split_regions(std::string_view text) { return split_list(text, ','); }

}  // namespace exposure::server
