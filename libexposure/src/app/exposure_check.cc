// The exposure check exchange: index -> new archives -> one-pass verify and read -> match ->
// windows -> decide -> one store transaction.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/app_state.h"
#include "app/messages.h"
#include "exposure/app.h"
#include "exposure/export_key_source.h"
#include "exposure/interval.h"
#include "exposure/secure.h"

namespace exposure::app {

using namespace app_internal;

namespace {

enum class Step { kIndex, kArchives, kDone };

// An index line or URL that names an archive: printable ASCII, no "..", no backslash.
bool plausible_name(const std::string& name) {
  if (name.empty() || name.size() > 1024 || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '\\'; });
}

Result<std::vector<std::string>> parse_index_txt(const std::string& body) {
  std::vector<std::string> names;
  std::istringstream lines(body);
  size_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!plausible_name(line) || line.front() == '/') {
      return malformed("index.txt line " + std::to_string(number) + ": not an archive name");
    }
    names.push_back(line);
  }
  return names;
}

Result<std::vector<std::string>> parse_list_json(const std::string& body) {
  nlohmann::json list = nlohmann::json::parse(body, nullptr, false);
  if (!list.is_array()) return malformed("list.json: not a JSON array");
  std::vector<std::string> urls;
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    auto url = entry.is_object() ? entry.find("url") : entry.end();
    if (!entry.is_object() || url == entry.end() || !url->is_string() || !plausible_name(url->get<std::string>())) {
      return malformed("list.json entry " + std::to_string(i) + ": no usable \"url\"");
    }
    urls.push_back(url->get<std::string>());
  }
  return urls;
}

}  // namespace

struct ExposureCheck::State {
  CheckOptions options;
  CheckState stored;
  Step step = Step::kIndex;
  std::vector<std::string> index_names;
  std::vector<std::string> new_names;
  std::vector<std::string> bodies;  // archives received so far, parallel to new_names
  std::optional<HttpRequest> pending;
  int64_t now = 0;

  std::string index_path() const {
    return options.export_path + "/" + options.region +
           (options.index_format == IndexFormat::kIndexTxt ? "/index.txt" : "/list.json");
  }
  std::string archive_path(const std::string& name) const {
    return options.index_format == IndexFormat::kIndexTxt ? options.export_path + "/" + name : name;
  }
};

Result<CheckState> load_check_state(Store& store) {
  return load_state(store, AppStateSlot::kCheck, decode_check_state);
}

Result<std::unique_ptr<ExposureCheck>> ExposureCheck::start(Store& store, CheckOptions options) {
  if (options.region.empty()) return invalid_argument("check: no region");
  if (options.cosign_sets.empty()) return invalid_argument("check: no public key to verify the archives with");
  if (!options.config.v1 && !options.config.daily) {
    return invalid_argument("check: the risk configuration gives neither v1 nor v2 fields");
  }
  if (options.threads < 1 || options.threads > 256) return invalid_argument("check: threads out of range 1..256");
  if (options.profile == nullptr) options.profile = &android_profile();
  while (!options.export_path.empty() && options.export_path.back() == '/') options.export_path.pop_back();
  auto stored = load_check_state(store);
  if (!stored.ok()) return stored.status();
  auto state = std::make_unique<State>();
  state->now = options.now != 0 ? options.now : SystemClock().now_unix_seconds();
  state->options = std::move(options);
  state->stored = std::move(*stored);
  return std::unique_ptr<ExposureCheck>(new ExposureCheck(store, std::move(state)));
}

ExposureCheck::ExposureCheck(Store& store, std::unique_ptr<State> state) : store_(store), state_(std::move(state)) {
  outcome_.now = state_->now;
}
ExposureCheck::~ExposureCheck() = default;

const HttpRequest* ExposureCheck::next_request() {
  State& s = *state_;
  if (finished() || s.step == Step::kDone) return nullptr;
  if (s.step == Step::kIndex) {
    s.pending = get_request(s.index_path());
  } else {
    s.pending = get_request(s.archive_path(s.new_names[s.bodies.size()]));
  }
  return &*s.pending;
}

Status ExposureCheck::receive(const HttpResponse& response) {
  State& s = *state_;
  if (finished()) return {ErrorCode::kFailedPrecondition, "check: the exchange has already ended"};
  if (!s.pending) return {ErrorCode::kFailedPrecondition, "check: receive() before next_request()"};
  const std::string target = s.pending->path;
  s.pending.reset();
  ServerError server_error;
  Status http = reply_status("check: GET " + target, response, &server_error);
  if (!http.ok()) {
    set_server_error(server_error);
    return finish(http);
  }
  outcome_.bytes_downloaded += response.body.size();
  if (s.step == Step::kIndex) {
    auto names = s.options.index_format == IndexFormat::kIndexTxt ? parse_index_txt(response.body)
                                                                   : parse_list_json(response.body);
    if (!names.ok()) return finish(Status(names.status().code(), "check: " + names.status().message()));
    s.index_names = std::move(*names);
    outcome_.archives_in_index = s.index_names.size();
    const bool same_region = s.stored.region == s.options.region;
    std::set<std::string> seen;
    for (const std::string& name : s.index_names) {
      if (!seen.insert(name).second) continue;
      if (same_region && s.stored.processed_archives.count(name)) continue;
      s.new_names.push_back(name);
    }
    if (s.new_names.empty()) {
      s.step = Step::kDone;
      outcome_.decision.reasons.push_back("no new archives since the last check (" +
                                          std::to_string(s.index_names.size()) + " in the index)");
      return finish(Status::Ok());
    }
    s.step = Step::kArchives;
    return Status::Ok();
  }
  s.bodies.push_back(response.body);
  if (s.bodies.size() < s.new_names.size()) return Status::Ok();
  s.step = Step::kDone;
  return finish(complete());
}

Status ExposureCheck::complete() {
  State& s = *state_;
  const CheckOptions& o = s.options;
  std::vector<Sighting> sightings;
  EXPOSURE_RETURN_IF_ERROR(store_.load_sightings(&sightings));
  outcome_.sightings = sightings.size();
  Matcher matcher(sightings);
  MatchOptions match_options;
  match_options.threads = o.threads;

  // Keys matched by earlier checks come first (their sightings may have grown), keeping only
  // those whose validity is still within the sightings' retention.
  const EnIntervalNumber oldest = interval_number(s.now - int64_t{kSightingRetentionDays + 1} * kSecondsPerDay);
  std::vector<DiagnosisKey> earlier;
  for (const DiagnosisKey& k : s.stored.matched_keys) {
    if (k.end_interval() >= oldest) earlier.push_back(k);
  }
  SpanKeySource earlier_source(earlier);
  auto earlier_matches = matcher.match(earlier_source, match_options);
  if (!earlier_matches.ok()) return earlier_matches.status();

  std::vector<ExportBytes> archives;
  for (size_t i = 0; i < s.new_names.size(); ++i) archives.push_back({s.new_names[i], as_bytes(s.bodies[i])});
  ExportFilesKeySource source(std::move(archives), std::move(s.options.cosign_sets), false);  // used once
  auto fresh = matcher.match(source, match_options);
  if (!fresh.ok()) return Status(fresh.status().code(), "check: " + fresh.status().message());
  outcome_.keys_processed = source.stats().keys;

  // One result per key, earlier matches first (as if one stream).
  std::vector<KeyMatch>& all = outcome_.matches;
  all = std::move(earlier_matches->matches);
  std::set<KeyData> matched;
  for (const KeyMatch& m : all) matched.insert(m.key.key_data);
  for (KeyMatch& m : fresh->matches) {
    if (matched.insert(m.key.key_data).second) all.push_back(std::move(m));
  }
  for (size_t i = 0; i < all.size(); ++i) {
    all[i].stream_position = i;
    for (ExposureWindow& w : build_exposure_windows(all[i], o.config.mapping)) outcome_.windows.push_back(std::move(w));
  }
  outcome_.decision = decide(all, outcome_.windows, o.config, *o.profile, s.now, s.stored.notified_days);

  // The new state, written in one transaction.
  CheckState next;
  next.region = o.region;
  const std::set<std::string> in_index(s.index_names.begin(), s.index_names.end());
  if (s.stored.region == o.region) {
    for (const std::string& name : s.stored.processed_archives) {
      if (in_index.count(name)) next.processed_archives.insert(name);
    }
  }
  next.processed_archives.insert(s.new_names.begin(), s.new_names.end());
  for (const KeyMatch& m : all) next.matched_keys.push_back(m.key);
  const int64_t first_kept_day = s.now / kSecondsPerDay - int64_t{kSightingRetentionDays};
  for (int64_t day : s.stored.notified_days) {
    if (day >= first_kept_day) next.notified_days.insert(day);
  }
  next.notified_days.insert(outcome_.decision.new_days.begin(), outcome_.decision.new_days.end());
  next.last_check = s.now;
  SecretText record = encode_check_state(next);
  const AppStateRecord records[] = {{AppStateSlot::kCheck, record.bytes()}};
  Status saved = store_.save_app_state(records);
  if (!saved.ok()) return Status(saved.code(), "check: saving the check state: " + saved.message());
  outcome_.archives_processed = s.new_names;
  return Status::Ok();
}

}  // namespace exposure::app
