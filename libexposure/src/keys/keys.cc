#include "exposure/keys.h"

#include <cstring>
#include <vector>

#include "exposure/crypto.h"

namespace exposure {
namespace {

SecretArray<16> derive(const KeyData& tek, ByteView info) {
  SecretArray<16> out;
  // Cannot fail: 16 bytes is far below HKDF's limit.
  (void)crypto::hkdf_sha256(ByteView(tek), {}, info, MutableByteView(out.data(), out.size()));
  return out;
}

void write_padded_data(EnIntervalNumber interval, uint8_t* block) {
  static constexpr uint8_t kPrefix[6] = {'E', 'N', '-', 'R', 'P', 'I'};
  std::memcpy(block, kPrefix, 6);
  std::memset(block + 6, 0, 6);
  block[12] = static_cast<uint8_t>(interval);
  block[13] = static_cast<uint8_t>(interval >> 8);
  block[14] = static_cast<uint8_t>(interval >> 16);
  block[15] = static_cast<uint8_t>(interval >> 24);
}

}  // namespace

TemporaryExposureKey generate_temporary_exposure_key(EnIntervalNumber now) {
  TemporaryExposureKey key;
  crypto::random_bytes(MutableByteView(key.key_data.data(), key.key_data.size()));
  key.rolling_start_interval_number = day_start_interval(now);
  key.rolling_period = kTekRollingPeriod;
  return key;
}

RollingProximityIdKey derive_rpi_key(const KeyData& tek) { return derive(tek, kRpikHkdfInfo); }
AssociatedEncryptedMetadataKey derive_aem_key(const KeyData& tek) { return derive(tek, kAemkHkdfInfo); }

std::array<uint8_t, 16> rpi_padded_data(EnIntervalNumber interval) {
  std::array<uint8_t, 16> block;
  write_padded_data(interval, block.data());
  return block;
}

Rpi rolling_proximity_id(const RollingProximityIdKey& rpik, EnIntervalNumber interval) {
  Rpi rpi;
  rolling_proximity_ids(rpik, interval, 1, &rpi);
  return rpi;
}

void rolling_proximity_ids(const RollingProximityIdKey& rpik, EnIntervalNumber first, size_t count,
                           Rpi* out) {
  static_assert(sizeof(Rpi) == 16);
  auto* blocks = reinterpret_cast<uint8_t*>(out);
  for (size_t i = 0; i < count; ++i) {
    write_padded_data(first + static_cast<EnIntervalNumber>(i), blocks + 16 * i);
  }
  crypto::Aes128Ecb aes(rpik.data());
  aes.encrypt_blocks(blocks, blocks, count);
}

Aem encrypt_metadata(const AssociatedEncryptedMetadataKey& aemk, const Rpi& rpi,
                     const MetadataBytes& metadata) {
  Aem aem;
  crypto::aes128_ctr(aemk.data(), rpi, ByteView(metadata), aem.data());
  return aem;
}

MetadataBytes decrypt_metadata(const AssociatedEncryptedMetadataKey& aemk, const Rpi& rpi,
                               const Aem& aem) {
  MetadataBytes metadata;
  crypto::aes128_ctr(aemk.data(), rpi, ByteView(aem), metadata.data());
  return metadata;
}

}  // namespace exposure
