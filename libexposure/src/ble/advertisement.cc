#include <algorithm>
#include <optional>

#include "exposure/ble.h"

namespace exposure {
namespace {

constexpr uint8_t kUuidLow = kExposureNotificationServiceUuid & 0xFF;   // 0x6F
constexpr uint8_t kUuidHigh = kExposureNotificationServiceUuid >> 8;    // 0xFD

}  // namespace

ServiceData build_service_data(const Rpi& rpi, const Aem& aem) {
  ServiceData out;
  std::copy(rpi.begin(), rpi.end(), out.begin());
  std::copy(aem.begin(), aem.end(), out.begin() + rpi.size());
  return out;
}

std::array<uint8_t, kLegacyAdvertisingDataMax> build_advertising_data(const Rpi& rpi, const Aem& aem,
                                                                      uint8_t flags) {
  std::array<uint8_t, kLegacyAdvertisingDataMax> out{};
  size_t n = 0;
  auto put = [&](std::initializer_list<uint8_t> bytes) {
    for (uint8_t b : bytes) out[n++] = b;
  };
  put({0x02, kAdTypeFlags, flags});
  put({0x03, kAdTypeComplete16BitUuids, kUuidLow, kUuidHigh});
  put({0x17, kAdTypeServiceData16BitUuid, kUuidLow, kUuidHigh});
  ServiceData data = build_service_data(rpi, aem);
  std::copy(data.begin(), data.end(), out.begin() + n);
  return out;
}

Result<ExposureBeacon> parse_advertising_data(ByteView data) {
  ByteReader reader(data);
  std::optional<ExposureBeacon> beacon;
  while (!reader.empty()) {
    const size_t offset = data.size() - reader.remaining();
    uint8_t length = 0;
    (void)reader.read_u8(&length);
    if (length == 0) break;  // the rest is insignificant padding
    ByteView structure;
    if (!reader.read_bytes(length, &structure)) {
      return malformed("AD structure at offset " + std::to_string(offset) + " claims " +
                       std::to_string(length) + " bytes but only " +
                       std::to_string(reader.remaining()) + " remain");
    }
    ByteReader body(structure);
    uint8_t type = 0;
    (void)body.read_u8(&type);
    if (type != kAdTypeServiceData16BitUuid) continue;
    uint16_t uuid = 0;
    if (!body.read_u16_le(&uuid)) {
      return malformed("service data structure at offset " + std::to_string(offset) +
                       " is too short to hold a 16-bit UUID");
    }
    if (uuid != kExposureNotificationServiceUuid) continue;
    if (beacon) {
      return malformed("more than one 0xFD6F service data structure (second at offset " +
                       std::to_string(offset) + ")");
    }
    if (body.remaining() != sizeof(Rpi) + sizeof(Aem)) {
      return malformed("0xFD6F service data at offset " + std::to_string(offset) + " is " +
                       std::to_string(body.remaining()) + " bytes, expected 20 (RPI + AEM)");
    }
    ByteView rpi, aem;
    (void)body.read_bytes(sizeof(Rpi), &rpi);
    (void)body.read_bytes(sizeof(Aem), &aem);
    ExposureBeacon b;
    std::copy(rpi.begin(), rpi.end(), b.rpi.begin());
    std::copy(aem.begin(), aem.end(), b.aem.begin());
    beacon = b;
  }
  if (!beacon) return Status(ErrorCode::kNotFound, "no 0xFD6F exposure notification service data");
  return *beacon;
}

}  // namespace exposure
