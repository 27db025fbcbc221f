// The Exposure Notification Bluetooth LE advertisement: 20-byte service data (RPI || AEM)
// under the 16-bit service UUID 0xFD6F, inside a legacy advertising payload.
#pragma once

#include <array>
#include <cstdint>

#include "exposure/bytes.h"
#include "exposure/keys.h"

namespace exposure {

inline constexpr uint16_t kExposureNotificationServiceUuid = 0xFD6F;
inline constexpr uint8_t kAdTypeFlags = 0x01;
inline constexpr uint8_t kAdTypeComplete16BitUuids = 0x03;
inline constexpr uint8_t kAdTypeServiceData16BitUuid = 0x16;
// LE General Discoverable, BR/EDR not supported, simultaneous LE + BR/EDR bits as usual.
inline constexpr uint8_t kDefaultAdvertisingFlags = 0x1A;
inline constexpr size_t kLegacyAdvertisingDataMax = 31;

using ServiceData = std::array<uint8_t, 20>;

// RPI (16 bytes) followed by AEM (4 bytes).
ServiceData build_service_data(const Rpi& rpi, const Aem& aem);

// The full 31-byte legacy advertising data, in this order:
//   02 01 <flags> | 03 03 6F FD | 17 16 6F FD <RPI:16> <AEM:4>
std::array<uint8_t, kLegacyAdvertisingDataMax> build_advertising_data(
    const Rpi& rpi, const Aem& aem, uint8_t flags = kDefaultAdvertisingFlags);

struct ExposureBeacon {
  Rpi rpi;
  Aem aem;
};

// Parses raw advertising data (a sequence of AD structures, each length || type || data;
// a zero length ends the significant part) and returns the RPI and AEM from the 0xFD6F
// service data. Never reads past `data`. Fails with a reason when a structure overruns the
// buffer, when there is no (or more than one) 0xFD6F service data, or when that service
// data is not exactly 20 bytes.
Result<ExposureBeacon> parse_advertising_data(ByteView data);

}  // namespace exposure
