#include "http/metrics.h"

#include <cstdio>

namespace exposure::server {
namespace {

std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void counter(std::string& out, const char* name, const char* help, int64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         std::to_string(value) + "\n";
}

void region_gauge(std::string& out, const char* name, const char* help,
                  const std::vector<Metrics::RegionGauge>& values) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
  for (const auto& g : values) {
    char number[64];
    std::snprintf(number, sizeof number, "%.0f", g.value);
    out += std::string(name) + "{region=\"" + label_value(g.region) + "\"} " + number + "\n";
  }
}

}  // namespace

void Metrics::count_request(std::string_view route, int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{std::string(route), status}];
}

void Metrics::add_federation_import(std::string_view partner, int64_t files, int64_t keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = federation_imports_[std::string(partner)];
  slot.first += files;
  slot.second += keys;
}

void Metrics::add_federation_failure(std::string_view partner, std::string_view reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++federation_failures_[{std::string(partner), std::string(reason)}];
}

std::string Metrics::render(const ExportGauges& exports) const {
  std::string out;
  out += "# HELP exposure_http_requests_total HTTP requests served, by route and status.\n";
  out += "# TYPE exposure_http_requests_total counter\n";
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [key, count] : requests_) {
      out += "exposure_http_requests_total{route=\"" + label_value(key.first) + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
  }
  counter(out, "exposure_keys_published_total", "Diagnosis keys newly stored by uploads.", keys_published_);
  counter(out, "exposure_keys_revised_total", "Stored diagnosis keys revised by uploads.", keys_revised_);
  counter(out, "exposure_export_files_written_total", "Signed export files written by this process.",
          export_files_written_);
  counter(out, "exposure_export_failures_total", "Export passes that failed.", export_failures_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string files, keys, failures;
    for (const auto& [partner, counts] : federation_imports_) {
      const std::string label = "{partner=\"" + label_value(partner) + "\"} ";
      files +=
          "exposure_federation_files_imported_total" + label + std::to_string(counts.first) + "\n";
      keys +=
          "exposure_federation_keys_imported_total" + label + std::to_string(counts.second) + "\n";
    }
    for (const auto& [key, count] : federation_failures_) {
      failures += "exposure_federation_failures_total{partner=\"" + label_value(key.first) +
                  "\",reason=\"" + label_value(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out +=
        "# HELP exposure_federation_files_imported_total Partner files imported, by partner.\n"
        "# TYPE exposure_federation_files_imported_total counter\n" +
        files;
    out +=
        "# HELP exposure_federation_keys_imported_total Keys new to this server imported from "
        "partners.\n"
        "# TYPE exposure_federation_keys_imported_total counter\n" +
        keys;
    out +=
        "# HELP exposure_federation_failures_total Partner indexes and files that could not be "
        "imported, by reason.\n"
        "# TYPE exposure_federation_failures_total counter\n" +
        failures;
  }
  region_gauge(out, "exposure_newest_export_age_seconds",
               "Seconds since the newest export file of the region was written (alarm on a silent stop).",
               exports.newest_file_age_seconds);
  region_gauge(out, "exposure_export_window_age_seconds",
               "Seconds since the end of the region's last exported window (grows when the worker stops).",
               exports.last_window_age_seconds);
  region_gauge(out, "exposure_export_files_indexed", "Export files listed in the region's index.",
               exports.files_indexed);
  return out;
}

}  // namespace exposure::server
