#include "federation/partner_index.h"

#include <algorithm>
#include <set>

#include "common/text.h"

namespace exposure::server {
namespace {

bool usable_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

bool usable_name(std::string_view name) {
  if (name.size() > 256 || name.size() < 5 || name.substr(name.size() - 4) != ".zip") return false;
  size_t start = 0;
  while (true) {
    const size_t slash = name.find('/', start);
    if (!usable_segment(name.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start))) {
      return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

PartnerIndex parse_partner_index(std::string_view text) {
  PartnerIndex index;
  std::set<std::string_view> seen;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    if (!usable_name(line)) {
      index.rejected.push_back(printable(line, 80));
      continue;
    }
    if (seen.insert(line).second) index.files.emplace_back(line);
  }
  return index;
}

}  // namespace exposure::server
