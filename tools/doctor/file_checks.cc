#include "file_checks.h"

#include <time.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "common/text.h"
#include "exposure/crypto.h"

namespace exposure::doctor {
namespace {

constexpr size_t kKeyProblemsShown = 3;

// "<start>-<end>-<n>.zip" of the last path component.
struct FileName {
  int64_t start = 0, end = 0;
  int number = 0;
};

// Digits only (1..12 of them) -> value.
std::optional<int64_t> decimal(std::string_view digits) {
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<FileName> parse_file_name(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);  // npos + 1 == 0
  constexpr std::string_view kSuffix = ".zip";
  if (base.size() <= kSuffix.size() || base.substr(base.size() - kSuffix.size()) != kSuffix)
    return std::nullopt;
  base.remove_suffix(kSuffix.size());
  const size_t first = base.find('-'), second = base.find('-', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
  auto start = decimal(base.substr(0, first));
  auto end = decimal(base.substr(first + 1, second - first - 1));
  std::string_view number_text = base.substr(second + 1);
  auto number = decimal(number_text);
  if (!start || !end || !number || number_text.size() != 5) return std::nullopt;
  return FileName{*start, *end, static_cast<int>(*number)};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "3 of 10 files: a; b; c" style summary of per-file problems.
Verdict per_file_verdict(const char* check, const std::string& region,
                         std::span<const FileReport> files, std::vector<std::string> problems,
                         size_t failing, const std::string& ok_summary,
                         const std::string& what_failed) {
  return make_verdict(
      check, region, std::move(problems), ok_summary,
      std::to_string(failing) + " of " + files_text(files.size()) + " " + what_failed);
}

std::string window_text(const keyfile::ExportMetadata& m) {
  return "[" + format_utc(static_cast<int64_t>(m.start_timestamp)) + ", " +
         format_utc(static_cast<int64_t>(m.end_timestamp)) + ")";
}

// "2d3h", "1h20m", "45s": the two largest units.
std::string format_age(int64_t seconds) {
  if (seconds < 0) return "-" + format_age(-seconds);
  const int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60,
                s = seconds % 60;
  if (d > 0) return std::to_string(d) + "d" + (h ? std::to_string(h) + "h" : "");
  if (h > 0) return std::to_string(h) + "h" + (m ? std::to_string(m) + "m" : "");
  if (m > 0) return std::to_string(m) + "m" + (s ? std::to_string(s) + "s" : "");
  return std::to_string(s) + "s";
}

void check_key_times(const keyfile::ExportContents& contents, const ExportRules& rules,
                     FileReport* report) {
  const int64_t start = static_cast<int64_t>(contents.metadata.start_timestamp);
  const int64_t end = static_cast<int64_t>(contents.metadata.end_timestamp);
  size_t bad = 0;
  auto note = [&](const std::string& problem) {
    if (++bad <= kKeyProblemsShown)
      report->key_time_problems.push_back(report->name + ": " + problem);
  };
  auto scan = [&](const std::vector<DiagnosisKey>& keys, const char* list, bool check_age) {
    for (size_t i = 0; i < keys.size(); ++i) {
      const int64_t valid_until = int64_t{keys[i].end_interval()} * kIntervalSeconds;
      const std::string key = std::string(list) + "[" + std::to_string(i) + "]";
      if (valid_until > end) {
        note(key + " is valid until " + format_utc(valid_until) + ", after the window end " +
             format_utc(end) + " (published while still valid)");
      } else if (check_age && valid_until < start - rules.max_key_age_seconds) {
        note(key + " expired at " + format_utc(valid_until) + ", more than the max key age (" +
             server::format_duration_ms(rules.max_key_age_seconds * 1000) +
             ") before the window start");
      }
    }
  };
  scan(contents.keys, "keys", true);
  scan(contents.revised_keys, "revised_keys", false);
  if (bad > kKeyProblemsShown) {
    report->key_time_problems.push_back(report->name + ": and " +
                                        std::to_string(bad - kKeyProblemsShown) +
                                        " more keys outside the window");
  }
}

}  // namespace

std::string files_text(size_t n) { return std::to_string(n) + (n == 1 ? " file" : " files"); }

std::string format_utc(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

FileReport inspect_file(const std::string& name, const Fetched& fetched,
                        std::span<const keyfile::CosignSet> cosign_sets, const ExportRules& rules) {
  FileReport report;
  report.name = name;
  report.download_problem = http_problem(fetched, "application/zip");
  report.downloaded = fetched.status == 200;
  if (!report.downloaded) return report;
  if (fetched.body.empty()) {
    report.download_problem = "GET " + fetched.url + ": empty body";
    report.downloaded = false;
    return report;
  }
  const ByteView bytes = as_bytes(fetched.body);
  report.sha256_hex = to_hex(crypto::sha256(bytes));
  auto contents = keyfile::read_export_bytes(bytes);
  if (!contents.ok()) {
    report.parse_problem = name + ": " + contents.status().message();
    report.signature_problem = name + ": not checked (the file does not parse)";
    return report;
  }
  report.metadata = contents->metadata;
  report.keys = contents->keys.size();
  report.revised_keys = contents->revised_keys.size();
  Status verified = contents->signatures.empty()
                        ? Status(ErrorCode::kVerificationFailed,
                                 "not a signed archive (a bare export.bin, or export.sig is empty)")
                        : keyfile::verify_signatures(contents->metadata, contents->signatures,
                                                     contents->digests, cosign_sets);
  if (!verified.ok()) report.signature_problem = name + ": " + verified.message();
  check_key_times(*contents, rules, &report);
  return report;
}

Verdict check_downloads(const std::string& region, std::span<const FileReport> files) {
  std::vector<std::string> problems;
  for (const FileReport& f : files)
    if (!f.download_problem.empty()) problems.push_back(f.download_problem);
  const size_t failing = problems.size();
  return per_file_verdict("download", region, files, std::move(problems), failing,
                          files_text(files.size()) + " downloaded (HTTP 200, application/zip)",
                          "failed to download cleanly");
}

Verdict check_parsing(const std::string& region, std::span<const FileReport> files) {
  std::vector<std::string> problems;
  size_t downloaded = 0, keys = 0, revised = 0;
  for (const FileReport& f : files) {
    if (!f.downloaded) continue;
    ++downloaded;
    keys += f.keys;
    revised += f.revised_keys;
    if (!f.parse_problem.empty()) problems.push_back(f.parse_problem);
  }
  if (downloaded == 0 && !files.empty())
    return skipped("parse", region, "no file could be downloaded");
  const size_t failing = problems.size();
  return per_file_verdict("parse", region, files, std::move(problems), failing,
                          files_text(downloaded) + " parsed: " + std::to_string(keys) + " keys, " +
                              std::to_string(revised) + " revised keys",
                          "do not parse");
}

Verdict check_signatures(const std::string& region, std::span<const FileReport> files) {
  std::vector<std::string> problems;
  std::set<std::string> signers;
  size_t checked = 0;
  for (const FileReport& f : files) {
    if (!f.downloaded) continue;
    ++checked;
    if (!f.signature_problem.empty()) problems.push_back(f.signature_problem);
    for (const keyfile::SignatureInfo& info : f.metadata.signature_infos)
      signers.insert(info.key_id + "-" + info.key_version);
  }
  if (checked == 0 && !files.empty())
    return skipped("signature", region, "no file could be downloaded");
  std::string signed_by;
  for (const std::string& s : signers) signed_by += (signed_by.empty() ? "" : ", ") + s;
  const size_t failing = problems.size();
  return per_file_verdict("signature", region, files, std::move(problems), failing,
                          files_text(checked) + " verified with the configured keys" +
                              (signed_by.empty() ? "" : " (signed by " + signed_by + ")"),
                          "do not verify");
}

Verdict check_duplicates(const std::string& region, std::span<const FileReport> files) {
  std::vector<std::string> problems;
  std::map<std::string, const FileReport*> by_content;
  std::map<std::tuple<std::string, uint64_t, uint64_t, int32_t>, const FileReport*> by_batch;
  for (const FileReport& f : files) {
    if (!f.downloaded) continue;
    auto [content, fresh] = by_content.emplace(f.sha256_hex, &f);
    if (!fresh)
      problems.push_back(content->second->name + " and " + f.name + " have identical content");
    if (!f.parsed()) continue;
    const auto& m = f.metadata;
    auto [batch, new_batch] = by_batch.emplace(
        std::tuple{m.region, m.start_timestamp, m.end_timestamp, m.batch_num.value_or(0)}, &f);
    if (!new_batch) {
      problems.push_back(batch->second->name + " and " + f.name + " share region, window " +
                         window_text(m) + " and batch_num: devices keep only one of them");
    }
  }
  return make_verdict("duplicates", region, std::move(problems),
                      "no duplicates among " + files_text(files.size()), "duplicate files");
}

Verdict check_batches(const std::string& region, std::span<const FileReport> files) {
  std::vector<std::string> problems;
  // By name: per window, numbers 1..N; the timestamps inside agree with the name.
  std::map<std::pair<int64_t, int64_t>, std::set<int>> numbers;
  size_t unnamed = 0;
  for (const FileReport& f : files) {
    auto name = parse_file_name(f.name);
    if (!name) {
      ++unnamed;
      continue;
    }
    if (!numbers[{name->start, name->end}].insert(name->number).second) {
      problems.push_back(f.name + ": file number " + std::to_string(name->number) +
                         " used twice for its window");
    }
    if (!f.parsed()) continue;
    const auto start = static_cast<int64_t>(f.metadata.start_timestamp);
    const auto end = static_cast<int64_t>(f.metadata.end_timestamp);
    if (start != name->start || (end != name->end && end != name->end + name->number)) {
      problems.push_back(f.name + ": the name says window " + std::to_string(name->start) + "-" +
                         std::to_string(name->end) + " but export.bin says " +
                         std::to_string(start) + "-" + std::to_string(end));
    }
  }
  for (const auto& [window, used] : numbers) {
    const int highest = *used.rbegin();
    std::string missing;
    for (int n = 1; n <= highest; ++n)
      if (!used.count(n)) missing += (missing.empty() ? "" : ", ") + std::to_string(n);
    if (!missing.empty()) {
      problems.push_back("window " + std::to_string(window.first) + "-" +
                         std::to_string(window.second) + ": file number(s) " + missing +
                         " missing (highest " + std::to_string(highest) + ")");
    }
  }
  // By export.bin: every batch_num 1..batch_size of a batch is present.
  std::map<std::tuple<std::string, uint64_t, uint64_t, int32_t>, std::set<int32_t>> batches;
  for (const FileReport& f : files) {
    if (!f.parsed() || !f.metadata.batch_size) continue;
    const auto& m = f.metadata;
    const int32_t num = m.batch_num.value_or(0);
    if (num < 1 || num > *m.batch_size) {
      problems.push_back(f.name + ": batch_num " + std::to_string(num) + " outside 1.." +
                         std::to_string(*m.batch_size));
      continue;
    }
    batches[{m.region, m.start_timestamp, m.end_timestamp, *m.batch_size}].insert(num);
  }
  for (const auto& [batch, nums] : batches) {
    const int32_t size = std::get<3>(batch);
    if (static_cast<int32_t>(nums.size()) != size) {
      problems.push_back("batch " + std::get<0>(batch) + " " + std::to_string(std::get<1>(batch)) +
                         "-" + std::to_string(std::get<2>(batch)) + " has batch_size " +
                         std::to_string(size) + " but only " + std::to_string(nums.size()) +
                         " of its files are listed");
    }
  }
  std::string ok =
      "file numbers and batch numbers complete for " + std::to_string(numbers.size()) + " windows";
  if (unnamed > 0)
    ok += " (" + std::to_string(unnamed) +
          " files not named <start>-<end>-<n>.zip: numbered by export.bin only)";
  return make_verdict("batches", region, std::move(problems), ok, "batch numbering");
}

Verdict check_windows(const std::string& region, std::span<const FileReport> files,
                      const ExportRules& rules, int64_t now) {
  std::vector<std::string> problems;
  const int64_t period = rules.export_period_seconds;
  size_t parsed = 0;
  for (const FileReport& f : files) {
    if (!f.parsed()) continue;
    ++parsed;
    const auto& m = f.metadata;
    const auto start = static_cast<int64_t>(m.start_timestamp);
    const auto end = static_cast<int64_t>(m.end_timestamp);
    if (lower(m.region) != lower(region)) {
      problems.push_back(f.name + ": region field '" + m.region + "' in a file listed for '" +
                         region + "'");
    }
    // A split window's files end at end + file number (Google's export format).
    const int64_t extra = end - start - period;
    if (start % period != 0 || extra < 0 || extra >= std::min<int64_t>(period, 100000)) {
      problems.push_back(f.name + ": window " + window_text(m) + " (" + format_age(end - start) +
                         ") is not one aligned " + server::format_duration_ms(period * 1000) +
                         " export period (--export-period)");
    }
    if (end > now)
      problems.push_back(f.name + ": window ends at " + format_utc(end) + ", in the future");
    problems.insert(problems.end(), f.key_time_problems.begin(), f.key_time_problems.end());
  }
  if (parsed == 0 && !files.empty()) return skipped("windows", region, "no file could be read");
  return make_verdict("windows", region, std::move(problems),
                      files_text(parsed) + ": aligned " +
                          server::format_duration_ms(period * 1000) +
                          " windows, every key expired by its window's end",
                      "windows or key times wrong");
}

Verdict check_freshness(const std::string& region, std::span<const FileReport> files, int64_t now,
                        int64_t max_age_seconds) {
  const FileReport* newest = nullptr;
  for (const FileReport& f : files) {
    if (f.parsed() && (!newest || f.metadata.end_timestamp > newest->metadata.end_timestamp))
      newest = &f;
  }
  const std::string limit = format_age(max_age_seconds);
  if (!newest) {
    std::string why =
        files.empty() ? "index.txt lists no export file" : "none of the listed files could be read";
    return make_verdict("freshness", region,
                        {why + ": nothing has been published within the retention"}, "",
                        "no export");
  }
  const int64_t age = now - static_cast<int64_t>(newest->metadata.end_timestamp);
  const std::string what = "newest file " + newest->name + " ended " + format_age(age) + " ago";
  std::vector<std::string> problems;
  if (age > max_age_seconds) {
    problems.push_back(
        what + ", more than " + limit +
        " (--max-age): the export worker has stopped, or no keys were uploaded since");
  }
  return make_verdict("freshness", region, std::move(problems), what + " (limit " + limit + ")",
                      "stale");
}

}  // namespace exposure::doctor
