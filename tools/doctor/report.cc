#include "report.h"

#include <algorithm>
#include <cctype>

namespace exposure::doctor {

bool all_ok(const std::vector<Verdict>& verdicts) {
  return std::all_of(verdicts.begin(), verdicts.end(),
                     [](const Verdict& v) { return v.outcome == Outcome::kOk; });
}

std::string format_text(const std::vector<Verdict>& verdicts, const std::string& base_url) {
  std::string out, failed;
  size_t failures = 0, skips = 0;
  for (const Verdict& v : verdicts) {
    std::string name = outcome_name(v.outcome);
    name.resize(4, ' ');
    out += name + " " + v.check + " " + v.region + ": " + v.summary + "\n";
    if (v.outcome == Outcome::kFail) {
      ++failures;
      failed += (failed.empty() ? "" : ", ") + v.check + " " + v.region;
    }
    if (v.outcome == Outcome::kSkip) ++skips;
  }
  if (failures == 0 && skips == 0) {
    out += "doctor: OK: all " + std::to_string(verdicts.size()) + " checks passed for " + base_url +
           "\n";
  } else {
    out += "doctor: FAIL: " + std::to_string(failures) + " of " + std::to_string(verdicts.size()) +
           " checks failed (" + failed + ")" +
           (skips ? ", " + std::to_string(skips) + " not checked" : "") + " for " + base_url + "\n";
  }
  return out;
}

nlohmann::json to_json(const std::vector<Verdict>& verdicts, const std::string& base_url,
                       int64_t now) {
  nlohmann::json checks = nlohmann::json::array();
  for (const Verdict& v : verdicts) {
    std::string result = outcome_name(v.outcome);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    checks.push_back({{"check", v.check},
                      {"region", v.region},
                      {"result", result},
                      {"summary", v.summary},
                      {"problems", v.problems}});
  }
  return {{"ok", all_ok(verdicts)}, {"base_url", base_url}, {"now", now}, {"checks", checks}};
}

}  // namespace exposure::doctor
