// `exposure doctor`: checks a key server's export tree from the outside, as an app sees it.
// For each region: index.txt reachable and well formed, list.json consistent with it, every
// listed file downloads, parses and verifies with the configured public keys, no
// duplicates, complete batch numbering, windows and key times as the export rules say,
// and the newest file recent enough for the export period. See docs/doctor.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exposure/keyfile.h"
#include "file_checks.h"
#include "http_fetch.h"
#include "verdict.h"

namespace exposure::doctor {

struct DoctorOptions {
  BaseUrl base;                                 // the export tree: <base>/<region>/index.txt
  std::vector<std::string> regions;             // region directories to check, at least one
  std::vector<keyfile::CosignSet> cosign_sets;  // as configured in the app
  ExportRules rules;
  int64_t max_age_seconds = 0;  // newest file's age limit
  std::string list_base_url;    // what list.json URLs start with (usually base.text())
  int64_t now = 0;              // Unix seconds
  int timeout_seconds = 10;     // connect and read timeout of each request
};

// The default freshness limit: a window is exported 2 h after its end, rounded to the
// hour, so a healthy server's newest window ends at most period + 3 h ago.
int64_t default_max_age_seconds(int64_t export_period_seconds);

// Runs every check of every region, in a fixed order (index, index-format, list-json,
// download, parse, signature, duplicates, batches, windows, freshness). Checks that need
// what an earlier one failed to get are SKIP.
std::vector<Verdict> run_doctor(const DoctorOptions& options);

}  // namespace exposure::doctor
