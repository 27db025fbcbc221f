// Export batch windows (Google's export format): windows of a fixed period aligned to
// multiples of it (UTC); a window is exported once its end is at most
// truncate(now - min_window_age, truncate_window).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exposure/status.h"

namespace exposure::server {

struct BatchWindow {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const BatchWindow&) const = default;
};

// kInvalidArgument unless 1 s <= period <= 24 h and period divides 24 h.
Status check_export_period(int64_t period_seconds);

// The windows due at `now`, oldest first. Without `last_end` (first run) only the most
// recent complete window. With it, every window from last_end (rounded down to the period)
// up to the newest complete one, but none ending before `not_before` (older windows hold
// nothing that is not already past retention), and at most `max_windows`.
std::vector<BatchWindow> due_windows(std::optional<int64_t> last_end, int64_t now, int64_t period,
                                     int64_t min_window_age, int64_t truncate_window, int64_t not_before,
                                     size_t max_windows);

// "<start>-<end>-<file_num as %05d>.zip".
std::string export_file_name(int64_t start, int64_t end, int file_num);

}  // namespace exposure::server
