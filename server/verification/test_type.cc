#include "verification/test_type.h"

#include "common/text.h"

namespace exposure::server {

std::optional<TestType> parse_test_type(std::string_view text) {
  if (text == "confirmed") return TestType::kConfirmed;
  if (text == "likely") return TestType::kLikely;
  if (text == "negative") return TestType::kNegative;
  if (text == "user-report") return TestType::kUserReport;
  return std::nullopt;
}

const char* test_type_name(TestType type) {
  switch (type) {
    case TestType::kConfirmed:
      return "confirmed";
    case TestType::kLikely:
      return "likely";
    case TestType::kNegative:
      return "negative";
    case TestType::kUserReport:
      return "user-report";
  }
  return "confirmed";
}

Result<std::set<TestType>> expand_accept_list(const std::vector<std::string>& accept) {
  std::set<TestType> out;
  if (accept.empty()) {
    return std::set<TestType>{TestType::kConfirmed, TestType::kLikely, TestType::kNegative, TestType::kUserReport};
  }
  for (size_t i = 0; i < accept.size(); ++i) {
    auto type = parse_test_type(accept[i]);
    if (!type) return invalid_argument("accept[" + std::to_string(i) + "]: unknown test type \"" + printable(accept[i]) + "\"");
    switch (*type) {
      case TestType::kNegative:
        out.insert(TestType::kNegative);
        [[fallthrough]];
      case TestType::kLikely:
        out.insert(TestType::kLikely);
        [[fallthrough]];
      case TestType::kConfirmed:
        out.insert(TestType::kConfirmed);
        break;
      case TestType::kUserReport:
        out.insert(TestType::kUserReport);
        break;
    }
  }
  return out;
}

ReportType report_type_of(std::string_view stored) {
  if (stored == "confirmed") return ReportType::kConfirmedTest;
  if (stored == "likely") return ReportType::kConfirmedClinicalDiagnosis;
  if (stored == "user-report") return ReportType::kSelfReport;
  if (stored == "negative") return ReportType::kRevoked;
  return ReportType::kUnknown;
}

std::string stored_report_type(ReportType type) {
  for (const char* stored : {"confirmed", "likely", "user-report", "negative"}) {
    if (report_type_of(stored) == type) return stored;
  }
  return {};
}

int32_t backfill_transmission_risk(int32_t given, std::string_view report_type) {
  if (given != 0) return given;
  if (report_type == "confirmed") return 2;
  if (report_type == "likely") return 4;
  if (report_type == "negative") return 6;
  return 0;
}

}  // namespace exposure::server
