// Sightings as CSV, the exchange format of the CLI, researchers and the bindings.
//
//   rpi,aem,time,rssi[,previous_scan_time]
//   3c9a1de5dd6b02afa7fded7b570b3e56,c29211b1,1585785600,-67,1585785310
//
// rpi: 32 hex digits; aem: 8 hex digits; time and previous_scan_time: unix seconds
// (0..4294967295; previous_scan_time 0 or empty = unknown); rssi: calibrated dBm, -127..126.
// Columns are found by their header name (case-insensitive, surrounding spaces ignored), in
// any order; other columns are allowed and ignored. Fields may be quoted ("..." with ""
// for a quote). Blank lines are skipped; CRLF line ends and a UTF-8 byte-order mark are
// accepted.
#pragma once

#include <istream>
#include <ostream>
#include <span>
#include <vector>

#include "exposure/sighting.h"
#include "exposure/status.h"

namespace exposure {

// Reads a whole CSV stream, appending its sightings to `*out`. On the first malformed line
// returns kMalformed "line N: <what was wrong>" (line 1 is the header) and leaves `*out` at
// its previous size.
Status read_sightings_csv(std::istream& in, std::vector<Sighting>* out);

// Opens `path` and reads it as above; kIoError when it cannot be opened. Messages start with
// the path.
Status read_sightings_csv_file(const std::string& path, std::vector<Sighting>* out);

// Writes the header "rpi,aem,time,rssi,previous_scan_time" and one line per sighting.
void write_sightings_csv(std::ostream& out, std::span<const Sighting> sightings);

// The header line write_sightings_csv writes (without the newline).
inline constexpr const char* kSightingsCsvHeader = "rpi,aem,time,rssi,previous_scan_time";

// One CSV line (without the newline) for `s`, in write_sightings_csv's column order.
std::string sighting_csv_line(const Sighting& s);

}  // namespace exposure
