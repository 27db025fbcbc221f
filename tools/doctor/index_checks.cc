#include "index_checks.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace exposure::doctor {
namespace {

// How far the server's clock may run ahead of ours before "created" counts as future.
constexpr int64_t kClockSkewSeconds = 300;

std::string line_ref(size_t line_number) { return "index.txt line " + std::to_string(line_number); }

// Why a client could not append `path` to the base URL as is ("" when it can).
std::string unsafe_path_reason(std::string_view path) {
  if (path.front() == '/') return "starts with '/'";
  for (char c : path) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return "holds a character outside [A-Za-z0-9._/-]";
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty()) return "has an empty path component";
    if (part == "." || part == "..") return "has a '" + std::string(part) + "' path component";
    start = end + 1;
  }
  return "";
}

}  // namespace

IndexListing parse_index(std::string_view text) {
  IndexListing out;
  std::map<std::string, size_t> seen;  // path -> first line number
  std::string previous;
  size_t line_number = 0, start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      out.problems.push_back(line_ref(line_number) + " ends with a carriage return");
      line.remove_suffix(1);
    }
    if (line.empty()) {
      if (last && line_number == 1) break;  // an empty index: no files yet
      out.problems.push_back(
          last ? "index.txt ends with a newline (clients may request an empty name)"
               : line_ref(line_number) + " is blank");
      continue;
    }
    std::string path(line);
    if (std::string why = unsafe_path_reason(path); !why.empty()) {
      out.problems.push_back(line_ref(line_number) + " '" + path + "' " + why);
      continue;
    }
    if (auto it = seen.find(path); it != seen.end()) {
      out.problems.push_back(line_ref(line_number) + " duplicates line " +
                             std::to_string(it->second) + ": " + path);
      continue;
    }
    if (!previous.empty() && path < previous) {
      out.problems.push_back(line_ref(line_number) + " '" + path + "' is out of order (after '" +
                             previous + "')");
    }
    previous = path;
    seen.emplace(path, line_number);
    out.entries.push_back(std::move(path));
  }
  return out;
}

std::vector<std::string> list_json_problems(std::string_view body,
                                            const std::vector<std::string>& index_entries,
                                            const std::string& region,
                                            const std::string& list_base_url, int64_t now) {
  std::vector<std::string> problems;
  nlohmann::json list = nlohmann::json::parse(body, nullptr, false);
  if (list.is_discarded()) return {"list.json is not valid JSON"};
  if (!list.is_array()) return {"list.json is not a JSON array"};
  const std::set<std::string> expected(index_entries.begin(), index_entries.end());
  const std::string prefix = list_base_url + "/";
  std::set<std::string> listed;
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    const std::string at = "list.json[" + std::to_string(i) + "]";
    if (!entry.is_object()) {
      problems.push_back(at + " is not an object");
      continue;
    }
    auto region_field = entry.find("region");
    if (region_field == entry.end() || !region_field->is_string()) {
      problems.push_back(at + ": \"region\" missing or not a string");
    } else if (region_field->get<std::string>() != region) {
      problems.push_back(at + ": region '" + region_field->get<std::string>() + "', expected '" +
                         region + "'");
    }
    auto created = entry.find("created");
    if (created == entry.end() || !created->is_number_integer() || created->get<int64_t>() <= 0) {
      problems.push_back(at +
                         ": \"created\" missing or not a positive integer (Unix milliseconds)");
    } else if (created->get<int64_t>() / 1000 > now + kClockSkewSeconds) {
      problems.push_back(at + ": created " + std::to_string(created->get<int64_t>()) +
                         " ms lies in the future");
    }
    auto url = entry.find("url");
    if (url == entry.end() || !url->is_string()) {
      problems.push_back(at + ": \"url\" missing or not a string");
      continue;
    }
    const std::string text = url->get<std::string>();
    std::string name;
    if (text.rfind(prefix, 0) == 0) {
      name = text.substr(prefix.size());
    } else {
      problems.push_back(at + ": url '" + text + "' is not under " + prefix +
                         " (the server's --public-url?)");
      // Still pair it with the index entry it names, so it is not reported missing as well.
      for (const std::string& e : index_entries) {
        if (text.size() > e.size() && text.compare(text.size() - e.size(), e.size(), e) == 0 &&
            text[text.size() - e.size() - 1] == '/') {
          name = e;
        }
      }
      if (name.empty()) continue;
    }
    if (!expected.count(name)) {
      problems.push_back(at + ": " + name + " is not in index.txt");
    } else if (!listed.insert(name).second) {
      problems.push_back(at + ": " + name + " is listed twice");
    }
  }
  for (const std::string& name : index_entries) {
    if (!listed.count(name)) problems.push_back(name + " is in index.txt but not in list.json");
  }
  return problems;
}

}  // namespace exposure::doctor
