// Handles shared by several files of the C ABI.
#pragma once

#include <memory>

#include "capi/capi_support.h"
#include "exposure.h"
#include "exposure/store.h"

struct exposure_store {
  explicit exposure_store(int64_t now) : clock(now) {}
  exposure::capi::HostClock clock;  // declared first: the store reads it until it is destroyed
  std::unique_ptr<exposure::Store> store;
};
