// A partner's index.txt (Google's export format): one archive per line, named relative to
// the root of the partner's tree ("JP/1773100800-1773104400-00001.zip").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace exposure::server {

struct PartnerIndex {
  std::vector<std::string> files;     // usable names, in index order, without repeats
  std::vector<std::string> rejected;  // lines that are not (printable, shortened)
};

// Splits `text` into lines (LF or CRLF), ignoring blank lines and surrounding spaces. A
// usable name has at most 256 characters, ends in ".zip" and is made of '/'-separated
// segments of [A-Za-z0-9_.-], none empty, "." or ".." (so it stays inside the tree).
PartnerIndex parse_partner_index(std::string_view text);

}  // namespace exposure::server
