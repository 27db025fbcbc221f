#include "exposure/metadata.h"

namespace exposure {

MetadataBytes BluetoothMetadata::encode() const {
  uint8_t version = static_cast<uint8_t>(((major_version & 0x3) << 6) | ((minor_version & 0x3) << 4) |
                                         ((static_cast<uint8_t>(calibration_confidence) & 0x3) << 2));
  return {version, static_cast<uint8_t>(tx_power_dbm), 0, 0};
}

BluetoothMetadata BluetoothMetadata::decode(const MetadataBytes& bytes) {
  BluetoothMetadata m;
  m.major_version = (bytes[0] >> 6) & 0x3;
  m.minor_version = (bytes[0] >> 4) & 0x3;
  m.calibration_confidence = static_cast<CalibrationConfidence>((bytes[0] >> 2) & 0x3);
  m.tx_power_dbm = static_cast<int8_t>(bytes[1]);
  return m;
}

}  // namespace exposure
