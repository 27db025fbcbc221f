#include "radio.h"

#include <algorithm>
#include <cmath>

namespace exposure::sim {

double path_loss_db(const RadioParams& radio, double distance_m) {
  return radio.attenuation_at_1m_db + 10 * radio.path_loss_exponent * std::log10(std::max(distance_m, 0.1));
}

std::optional<int8_t> receive(const RadioParams& radio, int tx_power_advertised_dbm, double tx_power_error_db,
                              double rx_offset_db, double distance_m, double obstruction_db, Rng& rng) {
  double raw = tx_power_advertised_dbm + tx_power_error_db - path_loss_db(radio, distance_m) - obstruction_db +
               rng.gaussian(radio.shadowing_sigma_db);
  if (raw < radio.sensitivity_dbm) return std::nullopt;
  double calibrated = std::clamp(std::round(raw + rx_offset_db), -127.0, 126.0);
  return static_cast<int8_t>(calibrated);
}

}  // namespace exposure::sim
