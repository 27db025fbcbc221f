// A sighting: one received exposure-notification advertisement as the scanner records it.
// Shared by the device store, the matcher, the CLI and the bindings.
#pragma once

#include <cstdint>

#include "exposure/keys.h"

namespace exposure {

struct Sighting {
  Rpi rpi{};
  Aem aem{};
  uint32_t time = 0;                // unix seconds of reception
  uint32_t previous_scan_time = 0;  // unix seconds of the previous scan; 0 = unknown
  int8_t rssi = 0;                  // calibrated RSSI in dBm (raw + device offset), -127..126

  bool operator==(const Sighting&) const = default;
};
static_assert(sizeof(Sighting) == 32, "Sighting is kept compact: the matcher holds millions");

}  // namespace exposure
