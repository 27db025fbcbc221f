// Risk configuration JSON (v1 ExposureConfiguration, v2 DailySummariesConfig,
// DiagnosisKeysDataMapping) -> parse_risk_config, then the config linter (lint_config) on
// every platform profile, which scores synthetic contacts with the parsed values.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "exposure/config_lint.h"
#include "exposure/risk_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace exposure;
  auto config = parse_risk_config(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!config.ok()) {
    if (config.status().message().empty()) std::abort();
    return 0;
  }
  KeyMetadataSet metadata;
  metadata.add(KeyMetadata{1, ReportType::kConfirmedTest, std::nullopt});
  metadata.add(KeyMetadata{6, ReportType::kSelfReport, 2});
  auto report = lint_config(*config, metadata, all_platform_profiles());
  if (report.ok() != (config->v1.has_value() || config->daily.has_value())) std::abort();
  return 0;
}
