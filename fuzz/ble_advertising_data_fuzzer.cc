// Raw BLE advertising data → parse_advertising_data. A successful parse must round-trip
// through build_advertising_data.
#include <cstdint>
#include <cstdlib>

#include "exposure/ble.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto beacon = exposure::parse_advertising_data(exposure::ByteView(data, size));
  if (beacon.ok()) {
    auto rebuilt = exposure::build_advertising_data(beacon->rpi, beacon->aem);
    auto again = exposure::parse_advertising_data(rebuilt);
    if (!again.ok() || again->rpi != beacon->rpi || again->aem != beacon->aem) std::abort();
  }
  return 0;
}
