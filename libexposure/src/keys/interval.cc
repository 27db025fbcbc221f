#include "exposure/interval.h"

#include <chrono>

namespace exposure {

EnIntervalNumber interval_number(int64_t unix_seconds) {
  if (unix_seconds < 0) return 0;
  return static_cast<EnIntervalNumber>(unix_seconds / kIntervalSeconds);
}

int64_t SystemClock::now_unix_seconds() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace exposure
