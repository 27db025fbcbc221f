#include "exposure/interval.h"

#include <chrono>
#include <ctime>

namespace exposure {

EnIntervalNumber interval_number(int64_t unix_seconds) {
  if (unix_seconds < 0) return 0;
  return static_cast<EnIntervalNumber>(unix_seconds / kIntervalSeconds);
}

std::string format_utc_day(int64_t day_number) {
  std::time_t t = static_cast<std::time_t>(day_number < 0 ? 0 : day_number) * kSecondsPerDay;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[24];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &tm);
  return text;
}

int64_t SystemClock::now_unix_seconds() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace exposure
