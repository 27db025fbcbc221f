// Shared pieces of the Python module: errors as exposure.ExposureError, and conversions between
// the C ABI's structs and plain Python values (bytes, int, str, dict, list).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "exposure.h"
#include "requests.h"

namespace exposure::python {

namespace py = pybind11;

// A failed C ABI call, carried from (possibly GIL-free) C++ to the Python exception.
struct CallFailed {
  exposure_status status;
  std::string message;
};

// Throws CallFailed with exposure_last_error() unless `status` is EXPOSURE_OK. Safe without
// the GIL.
void check(exposure_status status);

// Creates exposure.ExposureError (attributes: status, an int, and code, e.g. "malformed") and
// registers the translation of CallFailed into it.
void register_errors(py::module_& m);

// Raises ValueError "<what>: expected N bytes, got M" unless `data` has `length` bytes.
std::string fixed_bytes(const py::bytes& data, size_t length, const char* what);

py::bytes to_bytes(const uint8_t* data, size_t length);

// Wipes the module's own copy of key material (exposure_wipe cannot be optimised away).
template <typename Container>
void wipe(Container& values) {
  exposure_wipe(values.data(), values.size() * sizeof(values[0]));
}

// {"rpi": bytes, "aem": bytes}
py::dict beacon_dict(const exposure_beacon& beacon);
exposure_beacon beacon_from(const py::handle& rpi, const py::handle& aem);

// {"key_data", "rolling_start_interval_number", "rolling_period"}
py::dict tek_dict(const exposure_tek& key);
exposure_tek tek_from(const py::handle& dict);
// Wipes and frees the library's array after converting it.
py::list take_teks(exposure_tek* keys, size_t count);
std::vector<exposure_tek> teks_from(const py::iterable& keys);

// {"rpi", "aem", "time", "previous_scan_time", "rssi"}
py::dict sighting_dict(const exposure_sighting& s);
exposure_sighting sighting_from(const py::handle& dict);
py::list take_sightings(exposure_sighting* sightings, size_t count);
std::vector<exposure_sighting> sightings_from(const py::iterable& sightings);

// {"key_data", "rolling_start_interval_number", "rolling_period", "transmission_risk_level",
//  "report_type", "days_since_onset_of_symptoms" (None when unknown)}
py::dict diagnosis_key_dict(const exposure_diagnosis_key& key);
exposure_diagnosis_key diagnosis_key_from(const py::handle& dict);

// A path given as str or os.PathLike.
std::string fspath(const py::handle& path);

// Export paths (str or os.PathLike) and public keys {"ID-VERSION": PEM text or bytes}.
void export_sources_from(const py::iterable& paths, const std::optional<py::dict>& public_keys,
                         bool skip_verification, bindings::ExportSources* out);

// The open C handle of an exposure.Store (ValueError once it is closed, TypeError for another
// object).
exposure_store* store_handle(const py::handle& store);

// A JSON text from the library, parsed with Python's json module; frees `text`.
py::object take_json(char* text);
// A configuration given as JSON text or as a dict.
std::string config_text(const py::object& config);

}  // namespace exposure::python
