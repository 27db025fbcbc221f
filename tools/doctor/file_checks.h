// Checks of the export files a region's index lists: each file on its own (download,
// parse, signature, key times) and the set of files together (duplicates, batch numbering,
// windows, freshness). Pure functions over what was downloaded; doctor.cc fetches.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "exposure/keyfile.h"
#include "http_fetch.h"
#include "verdict.h"

namespace exposure::doctor {

// What a healthy export tree respects (the server's settings of the same names).
struct ExportRules {
  int64_t export_period_seconds = 3600;  // --export-period: window length, divides 24 h
  int64_t max_key_age_seconds =
      15 * 86400;  // --max-key-age: keys older than this are never published
};

// Everything learned about one listed file. The file bytes are not kept.
struct FileReport {
  std::string name;               // the index.txt line
  std::string download_problem;   // "" when HTTP 200 with Content-Type application/zip
  bool downloaded = false;        // HTTP 200 with a body, whatever its content type
  std::string parse_problem;      // "" when the archive and every key in it read cleanly
  std::string signature_problem;  // "" when a configured cosign set verifies it
  keyfile::ExportMetadata metadata;
  size_t keys = 0;
  size_t revised_keys = 0;
  std::string sha256_hex;
  // Keys whose validity lies outside what the window allows (at most a few, then a count).
  std::vector<std::string> key_time_problems;

  bool parsed() const { return downloaded && parse_problem.empty(); }
};

// Reads the downloaded file, verifies it with `cosign_sets` (any set verifying is enough,
// as on a phone) and checks every key's validity [start, start + period) against the
// window: no key may still be valid at the window's end (keys are published only once
// expired), and no key (revised keys aside) may have expired more than the max key age
// before the window's start.
FileReport inspect_file(const std::string& name, const Fetched& fetched,
                        std::span<const keyfile::CosignSet> cosign_sets, const ExportRules& rules);

// One verdict per aspect over all files of `region` (files may be empty).
Verdict check_downloads(const std::string& region, std::span<const FileReport> files);
Verdict check_parsing(const std::string& region, std::span<const FileReport> files);
Verdict check_signatures(const std::string& region, std::span<const FileReport> files);
// No two files with identical bytes, no two with the same (region, start, end, batch_num),
// which Android treats as one file.
Verdict check_duplicates(const std::string& region, std::span<const FileReport> files);
// File names "<start>-<end>-<n>.zip" numbered 1..N without gaps per window, agreeing with
// the timestamps inside; batch_num 1..batch_size all present for every batch.
Verdict check_batches(const std::string& region, std::span<const FileReport> files);
// Every file's window: its region field, aligned to the export period and one period long
// (plus the file number when a window was split), not ending after `now`; and the keys'
// times (inspect_file).
Verdict check_windows(const std::string& region, std::span<const FileReport> files,
                      const ExportRules& rules, int64_t now);
// The newest file's end_timestamp is at most `max_age_seconds` before `now`.
Verdict check_freshness(const std::string& region, std::span<const FileReport> files, int64_t now,
                        int64_t max_age_seconds);

// "1 file", "2 files".
std::string files_text(size_t n);

// "2026-03-10T16:00:00Z".
std::string format_utc(int64_t unix_seconds);

}  // namespace exposure::doctor
