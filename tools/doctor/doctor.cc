#include "doctor.h"

#include <set>

#include "index_checks.h"

namespace exposure::doctor {
namespace {

constexpr const char* kFileChecks[] = {"download", "parse",   "signature", "duplicates",
                                       "batches",  "windows", "freshness"};

void check_region(const DoctorOptions& options, HttpFetcher& fetcher, const std::string& region,
                  std::vector<Verdict>& out) {
  const Fetched index = fetcher.get(region + "/index.txt");
  const std::string index_problem = http_problem(index, "text/plain");
  if (!index_problem.empty()) {
    out.push_back(make_verdict("index", region, {index_problem}, "", "index.txt unavailable"));
    for (const char* check : {"index-format", "list-json"})
      out.push_back(skipped(check, region, "no index.txt"));
    for (const char* check : kFileChecks) out.push_back(skipped(check, region, "no index.txt"));
    return;
  }
  const IndexListing listing = parse_index(index.body);
  out.push_back(make_verdict(
      "index", region, {},
      index.url + ": " + files_text(listing.entries.size()) + " listed (HTTP 200, text/plain)",
      ""));
  out.push_back(make_verdict("index-format", region, listing.problems,
                             "sorted, no duplicates, no blank lines, relative paths",
                             "index.txt malformed"));

  const Fetched list = fetcher.get(region + "/list.json");
  std::vector<std::string> list_problems;
  if (std::string problem = http_problem(list, "application/json"); !problem.empty()) {
    list_problems.push_back(problem);
  } else {
    list_problems =
        list_json_problems(list.body, listing.entries, region, options.list_base_url, options.now);
  }
  out.push_back(make_verdict("list-json", region, std::move(list_problems),
                             std::to_string(listing.entries.size()) +
                                 " entries match index.txt, URLs under " + options.list_base_url,
                             "list.json inconsistent with index.txt"));

  std::vector<FileReport> files;
  files.reserve(listing.entries.size());
  for (const std::string& name : listing.entries) {
    files.push_back(inspect_file(name, fetcher.get(name), options.cosign_sets, options.rules));
  }
  out.push_back(check_downloads(region, files));
  out.push_back(check_parsing(region, files));
  out.push_back(check_signatures(region, files));
  out.push_back(check_duplicates(region, files));
  out.push_back(check_batches(region, files));
  out.push_back(check_windows(region, files, options.rules, options.now));
  out.push_back(check_freshness(region, files, options.now, options.max_age_seconds));
}

}  // namespace

int64_t default_max_age_seconds(int64_t export_period_seconds) {
  return export_period_seconds + 3 * 3600;
}

std::vector<Verdict> run_doctor(const DoctorOptions& options) {
  std::vector<Verdict> out;
  HttpFetcher fetcher(options.base, options.timeout_seconds);
  std::set<std::string> done;
  for (const std::string& region : options.regions) {
    if (done.insert(region).second) check_region(options, fetcher, region, out);
  }
  return out;
}

}  // namespace exposure::doctor
