#include "verdict.h"

namespace exposure::doctor {
namespace {
constexpr size_t kProblemsInSummary = 3;
}

Verdict make_verdict(std::string check, std::string region, std::vector<std::string> problems,
                     std::string ok_summary, std::string failed_summary) {
  Verdict v;
  v.check = std::move(check);
  v.region = std::move(region);
  if (problems.empty()) {
    v.outcome = Outcome::kOk;
    v.summary = std::move(ok_summary);
    return v;
  }
  v.outcome = Outcome::kFail;
  v.summary = std::move(failed_summary) + ": ";
  for (size_t i = 0; i < problems.size() && i < kProblemsInSummary; ++i)
    v.summary += (i ? "; " : "") + problems[i];
  if (problems.size() > kProblemsInSummary) {
    v.summary += "; and " + std::to_string(problems.size() - kProblemsInSummary) +
                 " more (--json lists all)";
  }
  v.problems = std::move(problems);
  return v;
}

Verdict skipped(std::string check, std::string region, std::string reason) {
  Verdict v;
  v.check = std::move(check);
  v.region = std::move(region);
  v.outcome = Outcome::kSkip;
  v.summary = "not checked: " + std::move(reason);
  return v;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "OK";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kSkip:
      return "SKIP";
  }
  return "?";
}

}  // namespace exposure::doctor
