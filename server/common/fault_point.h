// Named fault points for crash tests: code that must survive kill -9 at a given moment calls
// fault_point("name") there, and a test chooses the moment by name instead of by timing.
//
// Contract:
// - In a build with the test suite (EXPOSURE_FAULT_POINTS defined), the environment variable
//   EXPOSURE_TEST_KILL_AT="NAME" or "NAME:N" makes the process end itself with SIGKILL, as
//   kill -9 would, at the first (or the N-th, counted from 1) call of fault_point("NAME").
//   Any other name, or no variable, is a no-op; the variable is read once per process.
// - Without EXPOSURE_FAULT_POINTS every call is a no-op, so a release binary cannot be made
//   to crash through its environment.
// - The names in use are listed where they are called (grep fault_point).
#pragma once

#include <string_view>

namespace exposure::server {

void fault_point(std::string_view name);

}  // namespace exposure::server
