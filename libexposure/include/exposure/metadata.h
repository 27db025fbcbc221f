// The 4-byte Bluetooth metadata carried (encrypted) in the AEM: version, TX power and
// TX-power calibration confidence.
#pragma once

#include <array>
#include <cstdint>

namespace exposure {

using MetadataBytes = std::array<uint8_t, 4>;

enum class CalibrationConfidence : uint8_t { kLowest = 0, kLow = 1, kMedium = 2, kHigh = 3 };

struct BluetoothMetadata {
  uint8_t major_version = 1;  // bits 7:6 of byte 0
  uint8_t minor_version = 0;  // bits 5:4 (0 = v1.0, 1 = v1.1)
  CalibrationConfidence calibration_confidence = CalibrationConfidence::kLowest;  // bits 3:2
  int8_t tx_power_dbm = 0;    // byte 1, signed

  // Byte 0 = major<<6 | minor<<4 | confidence<<2; byte 1 = TX power; bytes 2-3 zero.
  // Versions and confidence are masked to their 2 bits.
  MetadataBytes encode() const;
  // Inverse of encode(); reserved bits and bytes are ignored.
  static BluetoothMetadata decode(const MetadataBytes& bytes);

  bool operator==(const BluetoothMetadata&) const = default;
};

}  // namespace exposure
