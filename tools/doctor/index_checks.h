// Checks of a region's index.txt (Google form) and list.json (COCOA form), on their text.
//
// index.txt: relative paths, one per line, "\n"-joined without a trailing newline, sorted,
// no duplicates (Google's export format). list.json: a JSON array of
// {"region": string, "url": string, "created": Unix milliseconds}, one entry per file of
// index.txt, its url the list base URL + "/" + the index line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace exposure::doctor {

struct IndexListing {
  // The distinct paths, in index order (what the other checks download).
  std::vector<std::string> entries;
  // One line per problem, naming the line number: blank lines, a trailing newline,
  // duplicates, lines out of order, paths a client cannot safely append to a URL.
  std::vector<std::string> problems;
};

// Parses index.txt. Never fails: problems are listed, usable lines are kept.
IndexListing parse_index(std::string_view text);

// The problems of list.json against the index entries: not a JSON array of objects of the
// shape above, a region other than `region`, a url not under `list_base_url` or naming no
// index entry, an index entry missing from the list, a duplicate, a `created` time that is
// not a positive integer or lies more than 5 minutes after `now`
// (Unix seconds). Empty when consistent.
std::vector<std::string> list_json_problems(std::string_view body,
                                            const std::vector<std::string>& index_entries,
                                            const std::string& region,
                                            const std::string& list_base_url, int64_t now);

}  // namespace exposure::doctor
