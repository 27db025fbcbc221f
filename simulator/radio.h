// The radio model: log-distance path loss with per-contact obstruction, per-reception
// shadowing, per-device TX power error and RSSI calibration error, receiver sensitivity.
//
//   rssi_raw = (tx_advertised + tx_error[tx]) - (A1 + 10 n log10(d)) - obstruction + N(0, sigma)
//   rssi     = rssi_raw + rx_offset[rx]            (the calibrated RSSI the scanner records)
//   attenuation seen by the matcher = tx_advertised - rssi
//
// so without errors the attenuation equals the path loss (55 dB at 1 m by default, as the
// config linter assumes).
#pragma once

#include <cstdint>
#include <optional>

#include "rng.h"
#include "sim_config.h"

namespace exposure::sim {

// A1 + 10 n log10(d), d clamped to at least 0.1 m.
double path_loss_db(const RadioParams& radio, double distance_m);

// One reception of an advertisement; std::nullopt when it is lost (below sensitivity).
// Returns the calibrated RSSI, clamped to [-127, 126].
std::optional<int8_t> receive(const RadioParams& radio, int tx_power_advertised_dbm, double tx_power_error_db,
                              double rx_offset_db, double distance_m, double obstruction_db, Rng& rng);

}  // namespace exposure::sim
