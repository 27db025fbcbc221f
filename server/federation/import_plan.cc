#include "federation/import_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"
#include "verification/test_type.h"

namespace exposure::server {
namespace {

bool has_region(const Exposure& e, const std::string& region) {
  return std::find(e.regions.begin(), e.regions.end(), region) != e.regions.end();
}

}  // namespace

std::vector<KeyData> keys_of(const std::vector<DiagnosisKey>& keys,
                             const std::vector<DiagnosisKey>& revised) {
  std::vector<KeyData> out;
  out.reserve(keys.size() + revised.size());
  for (const auto* list : {&keys, &revised}) {
    for (const DiagnosisKey& k : *list) out.push_back(k.key_data);
  }
  return out;
}

ImportPlan plan_import(const std::vector<DiagnosisKey>& keys,
                       const std::vector<DiagnosisKey>& revised,
                       const std::vector<Exposure>& stored,
                       const std::vector<KeyProvenance>& provenance, const ImportSource& source,
                       const PublishSettings& publish) {
  std::map<KeyData, Exposure> stored_by_key;
  for (const Exposure& e : stored) stored_by_key.emplace(e.key_data, e);
  std::set<KeyData> from_partner;
  for (const KeyProvenance& p : provenance) {
    if (p.partner == source.partner) from_partner.insert(p.key_data);
  }
  const int64_t revised_at = floor_to(source.now, publish.truncate_window_seconds);

  ImportPlan plan;
  std::map<KeyData, size_t> inserted;  // key -> index in plan.inserts
  std::map<KeyData, Exposure> updated;
  std::set<KeyData> seen;
  auto is_ours = [&](const Exposure& e) {
    return !e.local_provenance && from_partner.count(e.key_data) > 0;
  };
  auto insert = [&](const DiagnosisKey& k) {
    Exposure e;
    e.key_data = k.key_data;
    e.rolling_start = k.rolling_start_interval_number;
    e.rolling_period = k.rolling_period;
    e.transmission_risk = k.transmission_risk_level;
    e.report_type = stored_report_type(k.report_type);
    e.days_since_onset = k.days_since_onset_of_symptoms;
    e.regions = {source.region};
    e.local_provenance = false;
    e.created_at =
        embargoed_created_at(e.rolling_start, e.rolling_period, source.now,
                             publish.truncate_window_seconds, publish.release_same_day_keys);
    inserted.emplace(k.key_data, plan.inserts.size());
    plan.inserts.push_back(std::move(e));
  };

  for (const DiagnosisKey& k : keys) {
    if (!seen.insert(k.key_data).second) {
      plan.duplicates += 1;
      continue;
    }
    if (!key_age_problem(k.rolling_start_interval_number, k.rolling_period, source.now, publish)
             .empty()) {
      plan.refused += 1;
      continue;
    }
    auto it = stored_by_key.find(k.key_data);
    if (it != stored_by_key.end()) {
      if (is_ours(it->second) && !has_region(it->second, source.region)) {
        Exposure& e = updated.emplace(k.key_data, it->second).first->second;
        e.regions.push_back(source.region);
      } else {
        plan.duplicates += 1;
      }
      continue;
    }
    insert(k);
  }

  std::set<KeyData> seen_revised;
  for (const DiagnosisKey& k : revised) {
    if (!seen_revised.insert(k.key_data).second) {
      plan.duplicates += 1;
      continue;
    }
    if (!key_age_problem(k.rolling_start_interval_number, k.rolling_period, source.now, publish)
             .empty()) {
      plan.refused += 1;
      continue;
    }
    const std::string type = stored_report_type(k.report_type);
    auto revise = [&](Exposure& e) {
      if (e.revised_at || e.report_type == type) return false;
      e.revised_report_type = type;
      e.revised_at = revised_at;
      e.revised_days_since_onset = k.days_since_onset_of_symptoms;
      e.revised_transmission_risk = k.transmission_risk_level;
      return true;
    };
    if (auto ins = inserted.find(k.key_data); ins != inserted.end()) {
      if (!revise(plan.inserts[ins->second])) plan.duplicates += 1;
      continue;
    }
    auto it = stored_by_key.find(k.key_data);
    if (it == stored_by_key.end()) {
      insert(k);  // known only in its revised form: stored as such, like a new key
      continue;
    }
    if (!is_ours(it->second)) {
      plan.duplicates += 1;
      continue;
    }
    auto upd = updated.find(k.key_data);
    Exposure& e =
        upd != updated.end() ? upd->second : updated.emplace(k.key_data, it->second).first->second;
    const bool region_added = !has_region(e, source.region);
    if (region_added) e.regions.push_back(source.region);
    if (!revise(e) && !region_added && upd == updated.end()) {
      updated.erase(k.key_data);
      plan.duplicates += 1;
    }
  }

  for (auto& [key, e] : updated) plan.updates.push_back(std::move(e));
  return plan;
}

}  // namespace exposure::server
