#include "export/batch_windows.h"

#include <cstdio>

#include "common/text.h"

namespace exposure::server {

Status check_export_period(int64_t period) {
  if (period < 1 || period > 86400 || 86400 % period != 0) {
    return invalid_argument("export period " + format_duration_ms(period * 1000) +
                            " must be between 1s and 24h and divide 24h evenly");
  }
  return Status::Ok();
}

std::vector<BatchWindow> due_windows(std::optional<int64_t> last_end, int64_t now, int64_t period,
                                     int64_t min_window_age, int64_t truncate_window, int64_t not_before,
                                     size_t max_windows) {
  const int64_t eligible_end = floor_to(floor_to(now - min_window_age, truncate_window), period);
  std::vector<BatchWindow> out;
  if (!last_end) {
    out.push_back(BatchWindow{eligible_end - period, eligible_end});
    return out;
  }
  int64_t start = floor_to(*last_end, period);
  if (start + period < not_before) start = floor_to(not_before, period);
  for (; start + period <= eligible_end && out.size() < max_windows; start += period) {
    out.push_back(BatchWindow{start, start + period});
  }
  return out;
}

std::string export_file_name(int64_t start, int64_t end, int file_num) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%lld-%lld-%05d.zip", static_cast<long long>(start), static_cast<long long>(end),
                file_num);
  return buf;
}

}  // namespace exposure::server
