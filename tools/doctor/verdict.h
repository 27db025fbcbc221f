// The result of one `exposure doctor` check for one region: OK, FAIL (with the problems
// found) or SKIP (the check could not run because one it depends on failed).
#pragma once

#include <string>
#include <vector>

namespace exposure::doctor {

enum class Outcome { kOk, kFail, kSkip };

struct Verdict {
  std::string check;   // stable name: "index", "signature", ... (docs/doctor.md)
  std::string region;  // the region directory checked
  Outcome outcome = Outcome::kOk;
  std::string summary;                // one line: what was found
  std::vector<std::string> problems;  // every problem, one line each (FAIL only)
};

// OK with `summary` when `problems` is empty, else FAIL with "`failed_summary`: first
// problems" as summary.
Verdict make_verdict(std::string check, std::string region, std::vector<std::string> problems,
                     std::string ok_summary, std::string failed_summary);

// SKIP because `reason`.
Verdict skipped(std::string check, std::string region, std::string reason);

// "OK", "FAIL" or "SKIP".
const char* outcome_name(Outcome outcome);

}  // namespace exposure::doctor
