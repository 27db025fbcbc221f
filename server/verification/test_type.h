// Test types of verification codes and how they map to report types.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/diagnosis_key.h"
#include "exposure/status.h"

namespace exposure::server {

enum class TestType { kConfirmed, kLikely, kNegative, kUserReport };

// "confirmed" | "likely" | "negative" | "user-report" (exact spelling).
std::optional<TestType> parse_test_type(std::string_view text);
const char* test_type_name(TestType type);

// The test types an app accepts, from the /api/verify "accept" list: "confirmed" alone;
// "likely" implies confirmed; "negative" implies confirmed and likely; "user-report" only
// itself; an empty list accepts every type. kInvalidArgument names an unknown entry.
Result<std::set<TestType>> expand_accept_list(const std::vector<std::string>& accept);

// Export report type of a stored report-type string: confirmed -> CONFIRMED_TEST,
// likely -> CONFIRMED_CLINICAL_DIAGNOSIS, user-report -> SELF_REPORT, negative -> REVOKED,
// anything else -> UNKNOWN.
ReportType report_type_of(std::string_view stored);
// The inverse, for keys read from export files: the stored string of `type`, "" for
// UNKNOWN and RECURSIVE.
std::string stored_report_type(ReportType type);

// Transmission risk backfill of the key server: the given risk when non-zero, else
// confirmed 2, likely 4, negative 6, others 0.
int32_t backfill_transmission_risk(int32_t given, std::string_view report_type);

}  // namespace exposure::server
