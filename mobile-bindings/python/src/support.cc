#include "support.h"

#include <cstring>

namespace exposure::python {

void check(exposure_status status) {
  if (status != EXPOSURE_OK) throw CallFailed{status, exposure_last_error()};
}

void register_errors(py::module_& m) {
  static py::exception<CallFailed> error(m, "ExposureError");
  error.doc() =
      "A failure reported by libexposure: .status (int), .code (e.g. 'malformed'), str() the "
      "message; .http_status and .server_code of a server's refusal that ended an Exchange (else "
      "None).";
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const CallFailed& failed) {
      py::object instance = py::reinterpret_borrow<py::object>(error)(failed.message);
      instance.attr("status") = static_cast<int>(failed.status);
      instance.attr("code") = exposure_status_name(failed.status);
      instance.attr("http_status") = py::none();  // a server's refusal: see Exchange.receive()
      instance.attr("server_code") = py::none();
      PyErr_SetObject(error.ptr(), instance.ptr());
    }
  });
}

std::string fixed_bytes(const py::bytes& data, size_t length, const char* what) {
  std::string value = data;
  if (value.size() != length) {
    throw py::value_error(std::string(what) + ": expected " + std::to_string(length) + " bytes, got " +
                          std::to_string(value.size()));
  }
  return value;
}

py::bytes to_bytes(const uint8_t* data, size_t length) {
  return py::bytes(reinterpret_cast<const char*>(data), length);
}

py::dict beacon_dict(const exposure_beacon& beacon) {
  py::dict out;
  out["rpi"] = to_bytes(beacon.rpi, sizeof beacon.rpi);
  out["aem"] = to_bytes(beacon.aem, sizeof beacon.aem);
  return out;
}

exposure_beacon beacon_from(const py::handle& rpi, const py::handle& aem) {
  exposure_beacon out{};
  std::string r = fixed_bytes(py::reinterpret_borrow<py::bytes>(rpi), sizeof out.rpi, "rpi");
  std::string a = fixed_bytes(py::reinterpret_borrow<py::bytes>(aem), sizeof out.aem, "aem");
  std::memcpy(out.rpi, r.data(), r.size());
  std::memcpy(out.aem, a.data(), a.size());
  return out;
}

py::dict tek_dict(const exposure_tek& key) {
  py::dict out;
  out["key_data"] = to_bytes(key.key_data, sizeof key.key_data);
  out["rolling_start_interval_number"] = key.rolling_start_interval_number;
  out["rolling_period"] = key.rolling_period;
  return out;
}

exposure_tek tek_from(const py::handle& dict) {
  exposure_tek out{};
  std::string key = fixed_bytes(dict["key_data"].cast<py::bytes>(), sizeof out.key_data, "key_data");
  std::memcpy(out.key_data, key.data(), key.size());
  out.rolling_start_interval_number = dict["rolling_start_interval_number"].cast<uint32_t>();
  out.rolling_period = dict.cast<py::dict>().contains("rolling_period") ? dict["rolling_period"].cast<uint32_t>() : 144;
  return out;
}

py::list take_teks(exposure_tek* keys, size_t count) {
  py::list out;
  try {
    for (size_t i = 0; i < count; ++i) out.append(tek_dict(keys[i]));
  } catch (...) {
    exposure_free_teks(keys, count);
    throw;
  }
  exposure_free_teks(keys, count);
  return out;
}

std::vector<exposure_tek> teks_from(const py::iterable& keys) {
  std::vector<exposure_tek> out;
  for (const py::handle& key : keys) out.push_back(tek_from(key));
  return out;
}

py::dict sighting_dict(const exposure_sighting& s) {
  py::dict out = beacon_dict(s.beacon);
  out["time"] = s.time;
  out["previous_scan_time"] = s.previous_scan_time;
  out["rssi"] = static_cast<int>(s.rssi);
  return out;
}

exposure_sighting sighting_from(const py::handle& dict) {
  exposure_sighting out{};
  out.beacon = beacon_from(dict["rpi"], dict["aem"]);
  out.time = dict["time"].cast<uint32_t>();
  py::dict d = dict.cast<py::dict>();
  out.previous_scan_time = d.contains("previous_scan_time") ? d["previous_scan_time"].cast<uint32_t>() : 0;
  int rssi = dict["rssi"].cast<int>();
  if (rssi < -127 || rssi > 126) throw py::value_error("rssi " + std::to_string(rssi) + " out of range -127..126");
  out.rssi = static_cast<int8_t>(rssi);
  return out;
}

py::list take_sightings(exposure_sighting* sightings, size_t count) {
  py::list out;
  try {
    for (size_t i = 0; i < count; ++i) out.append(sighting_dict(sightings[i]));
  } catch (...) {
    exposure_free_sightings(sightings);
    throw;
  }
  exposure_free_sightings(sightings);
  return out;
}

std::vector<exposure_sighting> sightings_from(const py::iterable& sightings) {
  std::vector<exposure_sighting> out;
  for (const py::handle& s : sightings) out.push_back(sighting_from(s));
  return out;
}

py::dict diagnosis_key_dict(const exposure_diagnosis_key& key) {
  py::dict out;
  out["key_data"] = to_bytes(key.key_data, sizeof key.key_data);
  out["rolling_start_interval_number"] = key.rolling_start_interval_number;
  out["rolling_period"] = key.rolling_period;
  out["transmission_risk_level"] = key.transmission_risk_level;
  out["report_type"] = key.report_type;
  out["days_since_onset_of_symptoms"] =
      key.has_days_since_onset != 0 ? py::object(py::int_(key.days_since_onset_of_symptoms)) : py::object(py::none());
  return out;
}

exposure_diagnosis_key diagnosis_key_from(const py::handle& dict) {
  exposure_diagnosis_key out{};
  py::dict d = dict.cast<py::dict>();
  std::string key = fixed_bytes(d["key_data"].cast<py::bytes>(), sizeof out.key_data, "key_data");
  std::memcpy(out.key_data, key.data(), key.size());
  out.rolling_start_interval_number = d["rolling_start_interval_number"].cast<uint32_t>();
  out.rolling_period = d.contains("rolling_period") ? d["rolling_period"].cast<uint32_t>() : 144;
  out.transmission_risk_level = d.contains("transmission_risk_level") ? d["transmission_risk_level"].cast<int32_t>() : 0;
  out.report_type = d.contains("report_type") ? d["report_type"].cast<int32_t>() : 0;
  if (d.contains("days_since_onset_of_symptoms") && !d["days_since_onset_of_symptoms"].is_none()) {
    out.has_days_since_onset = 1;
    out.days_since_onset_of_symptoms = d["days_since_onset_of_symptoms"].cast<int32_t>();
  }
  return out;
}

std::string fspath(const py::handle& path) {
  return py::module_::import("os").attr("fspath")(path).cast<std::string>();
}

void export_sources_from(const py::iterable& paths, const std::optional<py::dict>& public_keys,
                         bool skip_verification, bindings::ExportSources* out) {
  for (const py::handle& path : paths) out->paths.push_back(fspath(path));
  if (public_keys) {
    for (const auto& [name, key] : *public_keys) {
      out->add_public_key(name.cast<std::string>(),
                          py::isinstance<py::bytes>(key) ? std::string(key.cast<py::bytes>()) : key.cast<std::string>());
    }
  }
  out->skip_verification = skip_verification;
}

py::object take_json(char* text) {
  std::string copy = text == nullptr ? std::string() : std::string(text);
  exposure_free_string(text);
  return py::module_::import("json").attr("loads")(copy);
}

std::string config_text(const py::object& config) {
  if (py::isinstance<py::str>(config)) return config.cast<std::string>();
  if (py::isinstance<py::dict>(config)) return py::module_::import("json").attr("dumps")(config).cast<std::string>();
  throw py::type_error("config: expected JSON text (str) or a dict");
}

}  // namespace exposure::python
