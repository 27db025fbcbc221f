// Output of `exposure doctor`: one line per check and a final line, or one JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verdict.h"

namespace exposure::doctor {

// True when no check failed or was skipped.
bool all_ok(const std::vector<Verdict>& verdicts);

// "OK   index JP: ..." per check, then "doctor: OK: ..." or "doctor: FAIL: ...", each
// line ending in "\n".
std::string format_text(const std::vector<Verdict>& verdicts, const std::string& base_url);

// {"ok", "base_url", "now", "checks": [{"check", "region", "result" ("ok"|"fail"|"skip"),
//  "summary", "problems": [...]}]}.
nlohmann::json to_json(const std::vector<Verdict>& verdicts, const std::string& base_url,
                       int64_t now);

}  // namespace exposure::doctor
