#include "common/fault_point.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace exposure::server {

#ifdef EXPOSURE_FAULT_POINTS
namespace {

struct KillPlan {
  std::string name;
  long hit = 1;  // the call that kills, counted from 1
};

// The parsed EXPOSURE_TEST_KILL_AT; empty name when unset or unusable.
const KillPlan& plan() {
  static const KillPlan parsed = [] {
    KillPlan p;
    const char* env = std::getenv("EXPOSURE_TEST_KILL_AT");
    if (env == nullptr) return p;
    std::string text = env;
    const size_t colon = text.rfind(':');
    if (colon != std::string::npos) {
      char* end = nullptr;
      const long n = std::strtol(text.c_str() + colon + 1, &end, 10);
      if (end == nullptr || *end != '\0' || n < 1) return p;
      p.hit = n;
      text.resize(colon);
    }
    p.name = text;
    return p;
  }();
  return parsed;
}

}  // namespace

void fault_point(std::string_view name) {
  static std::atomic<long> hits{0};
  const KillPlan& p = plan();
  if (p.name.empty() || name != p.name) return;
  if (hits.fetch_add(1) + 1 == p.hit) raise(SIGKILL);
}
#else
void fault_point(std::string_view) {}
#endif

}  // namespace exposure::server
