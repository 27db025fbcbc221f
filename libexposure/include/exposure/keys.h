// Temporary Exposure Keys and everything derived from them (GAEN cryptography v1.2):
// RPIK and AEMK by HKDF-SHA256, Rolling Proximity Identifiers by AES-128, and Associated
// Encrypted Metadata by AES-128-CTR. See docs/crypto.md for the mapping to the spec.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "exposure/interval.h"
#include "exposure/metadata.h"
#include "exposure/secure.h"

namespace exposure {

using KeyData = std::array<uint8_t, 16>;
using Rpi = std::array<uint8_t, 16>;
using Aem = std::array<uint8_t, 4>;
using RollingProximityIdKey = SecretArray<16>;
using AssociatedEncryptedMetadataKey = SecretArray<16>;

// A device's own key. key_data is wiped when the object is destroyed.
struct TemporaryExposureKey {
  SecretArray<16> key_data;
  EnIntervalNumber rolling_start_interval_number = 0;
  uint32_t rolling_period = kTekRollingPeriod;

  // One past the last interval of validity (the range is half-open).
  EnIntervalNumber end_interval() const { return rolling_start_interval_number + rolling_period; }
  bool valid_at(EnIntervalNumber i) const {
    return i >= rolling_start_interval_number && i < end_interval();
  }
};

// A fresh key from the CSPRNG, starting at `now` rounded down to UTC midnight, period 144.
TemporaryExposureKey generate_temporary_exposure_key(EnIntervalNumber now);

// The HKDF info strings of the two keys derived from a TEK, for callers that derive many
// keys at once with crypto::ZeroSaltHkdf16 (the matcher).
inline constexpr std::array<uint8_t, 7> kRpikHkdfInfo = {'E', 'N', '-', 'R', 'P', 'I', 'K'};
inline constexpr std::array<uint8_t, 7> kAemkHkdfInfo = {'E', 'N', '-', 'A', 'E', 'M', 'K'};

// RPIK = HKDF-SHA256(TEK, salt = none, info = "EN-RPIK", 16).
RollingProximityIdKey derive_rpi_key(const KeyData& tek);
// AEMK = HKDF-SHA256(TEK, salt = none, info = "EN-AEMK", 16).
AssociatedEncryptedMetadataKey derive_aem_key(const KeyData& tek);

// PaddedData_j = "EN-RPI" || 0x000000000000 || uint32_le(j).
std::array<uint8_t, 16> rpi_padded_data(EnIntervalNumber interval);

// RPI_j = AES-128(RPIK, PaddedData_j).
Rpi rolling_proximity_id(const RollingProximityIdKey& rpik, EnIntervalNumber interval);

// RPIs for intervals first, first+1, ..., first+count-1 into out[0..count), in one batched
// AES-ECB call.
void rolling_proximity_ids(const RollingProximityIdKey& rpik, EnIntervalNumber first, size_t count,
                           Rpi* out);

// AEM = AES-128-CTR(AEMK, counter block = RPI, metadata). Decryption is the same operation.
Aem encrypt_metadata(const AssociatedEncryptedMetadataKey& aemk, const Rpi& rpi,
                     const MetadataBytes& metadata);
MetadataBytes decrypt_metadata(const AssociatedEncryptedMetadataKey& aemk, const Rpi& rpi,
                               const Aem& aem);

}  // namespace exposure
