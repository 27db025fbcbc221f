// The Python module `exposure`: libexposure's C ABI with plain Python values (bytes, int, str,
// dict, list; no numpy). Calls that read files, the store or many keys release the GIL.
#include <cstring>

#include "support.h"

namespace exposure::python {

void register_store(py::module_& m);
void register_matching(py::module_& m);
void register_app(py::module_& m);

namespace {

// {"major_version", "minor_version", "calibration_confidence", "tx_power_dbm"}
exposure_metadata metadata_from(const py::dict& d) {
  exposure_metadata m{1, 0, 0, 0};
  if (d.contains("major_version")) m.major_version = d["major_version"].cast<uint8_t>();
  if (d.contains("minor_version")) m.minor_version = d["minor_version"].cast<uint8_t>();
  if (d.contains("calibration_confidence")) m.calibration_confidence = d["calibration_confidence"].cast<uint8_t>();
  if (d.contains("tx_power_dbm")) m.tx_power_dbm = d["tx_power_dbm"].cast<int8_t>();
  return m;
}

py::dict metadata_dict(const exposure_metadata& m) {
  py::dict out;
  out["major_version"] = m.major_version;
  out["minor_version"] = m.minor_version;
  out["calibration_confidence"] = m.calibration_confidence;
  out["tx_power_dbm"] = static_cast<int>(m.tx_power_dbm);
  return out;
}

py::dict derive_beacon(const py::bytes& tek, uint32_t interval, const py::bytes& metadata) {
  std::string k = tek, md = metadata;
  exposure_beacon beacon;
  check(exposure_derive_beacon(reinterpret_cast<const uint8_t*>(k.data()), k.size(), interval,
                               reinterpret_cast<const uint8_t*>(md.data()), md.size(), &beacon));
  return beacon_dict(beacon);
}

py::bytes decrypt_metadata(const py::bytes& tek, const py::bytes& rpi, const py::bytes& aem) {
  std::string k = tek;
  exposure_beacon beacon = beacon_from(rpi, aem);
  uint8_t out[EXPOSURE_METADATA_LENGTH];
  check(exposure_decrypt_metadata(reinterpret_cast<const uint8_t*>(k.data()), k.size(), &beacon, out));
  return to_bytes(out, sizeof out);
}

py::bytes encode_metadata(uint8_t major, uint8_t minor, uint8_t confidence, int8_t tx_power_dbm) {
  exposure_metadata m{major, minor, confidence, tx_power_dbm};
  uint8_t out[EXPOSURE_METADATA_LENGTH];
  check(exposure_encode_metadata(&m, out));
  return to_bytes(out, sizeof out);
}

py::dict decode_metadata(const py::bytes& bytes) {
  std::string b = bytes;
  exposure_metadata m;
  check(exposure_decode_metadata(reinterpret_cast<const uint8_t*>(b.data()), b.size(), &m));
  return metadata_dict(m);
}

py::bytes build_advertising_data(const py::bytes& rpi, const py::bytes& aem) {
  exposure_beacon beacon = beacon_from(rpi, aem);
  uint8_t out[EXPOSURE_ADVERTISING_DATA_LENGTH];
  check(exposure_build_advertising_data(&beacon, out));
  return to_bytes(out, sizeof out);
}

py::dict parse_advertising_data(const py::bytes& data) {
  std::string d = data;
  exposure_beacon beacon;
  check(exposure_parse_advertising_data(reinterpret_cast<const uint8_t*>(d.data()), d.size(), &beacon));
  return beacon_dict(beacon);
}

// The advertiser's key schedule (exposure_key_schedule).
class KeySchedule {
 public:
  KeySchedule(const py::iterable& history, int64_t now, const std::optional<py::dict>& metadata,
              uint32_t history_days, uint32_t max_keys_per_start) {
    std::vector<exposure_tek> keys = teks_from(history);
    exposure_key_schedule_options options;
    exposure_key_schedule_options_init(&options);
    options.now_unix_seconds = now;
    if (metadata) options.metadata = metadata_from(*metadata);
    options.history_days = history_days;
    options.max_keys_per_start = max_keys_per_start;
    exposure_status status = exposure_key_schedule_new(keys.data(), keys.size(), &options, &schedule_);
    wipe(keys);
    check(status);
  }
  ~KeySchedule() { exposure_key_schedule_free(schedule_); }
  KeySchedule(const KeySchedule&) = delete;
  KeySchedule& operator=(const KeySchedule&) = delete;

  void set_time(int64_t now) { check(exposure_key_schedule_set_time(schedule_, now)); }
  py::dict current_key() {
    exposure_tek key;
    check(exposure_key_schedule_current_key(schedule_, &key));
    py::dict out = tek_dict(key);
    exposure_wipe(&key, sizeof key);
    return out;
  }
  py::dict current_advertisement() {
    exposure_advertisement ad;
    check(exposure_key_schedule_current_advertisement(schedule_, &ad));
    py::dict out = beacon_dict(ad.beacon);
    out["interval"] = ad.interval;
    out["advertising_data"] = to_bytes(ad.advertising_data, sizeof ad.advertising_data);
    return out;
  }
  int64_t next_rotation() const {
    int64_t rotation = 0;
    check(exposure_key_schedule_next_rotation(schedule_, &rotation));
    return rotation;
  }
  py::list history() const { return keys(exposure_key_schedule_history); }
  py::list keys_for_upload() const { return keys(exposure_key_schedule_keys_for_upload); }
  void release_current_key() { check(exposure_key_schedule_release_current_key(schedule_)); }

 private:
  template <typename Get>
  py::list keys(Get get) const {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    check(get(schedule_, &keys, &count));
    return take_teks(keys, count);
  }
  exposure_key_schedule* schedule_ = nullptr;
};

}  // namespace
}  // namespace exposure::python

using namespace exposure::python;

PYBIND11_MODULE(_exposure, m) {
  m.doc() = "libexposure: GAEN exposure-notification keys, Bluetooth payload, encrypted store, export "
            "files, matching, risk scoring and the config linter (docs/bindings.md).";
  register_errors(m);
  m.attr("__version__") = exposure_version();
  m.def("version", &exposure_version, "The native library's version.");
  m.def("abi_version", &exposure_abi_version, "The C ABI version of the native library.");
  m.def("interval_number", &exposure_interval_number, py::arg("unix_seconds"),
        "The 10-minute interval number of a unix time.");
  m.def("derive_beacon", &derive_beacon, py::arg("tek"), py::arg("interval"), py::arg("metadata"),
        "{'rpi', 'aem'} of a 16-byte TEK for an interval, the AEM over 4 metadata bytes.");
  m.def("decrypt_metadata", &decrypt_metadata, py::arg("tek"), py::arg("rpi"), py::arg("aem"),
        "The 4 metadata bytes of a beacon, decrypted with its TEK.");
  m.def("encode_metadata", &encode_metadata, py::arg("major_version") = 1, py::arg("minor_version") = 0,
        py::arg("calibration_confidence") = 0, py::arg("tx_power_dbm") = 0, "The 4 Bluetooth metadata bytes.");
  m.def("decode_metadata", &decode_metadata, py::arg("metadata"), "The fields of 4 metadata bytes.");
  m.def("build_advertising_data", &build_advertising_data, py::arg("rpi"), py::arg("aem"),
        "The 31-byte legacy advertising payload of a beacon.");
  m.def("parse_advertising_data", &parse_advertising_data, py::arg("data"),
        "{'rpi', 'aem'} of received advertising data; ExposureError 'not found' for another advertisement.");

  py::class_<KeySchedule>(m, "KeySchedule", "The advertiser's key schedule over a persisted own-key history.")
      .def(py::init<const py::iterable&, int64_t, const std::optional<py::dict>&, uint32_t, uint32_t>(),
           py::arg("history") = py::list(), py::arg("now") = 0, py::arg("metadata") = py::none(),
           py::arg("history_days") = 14, py::arg("max_keys_per_start") = 3)
      .def("set_time", &KeySchedule::set_time, py::arg("now"), "Unix seconds taken as now; 0 = the system clock.")
      .def("current_key", &KeySchedule::current_key)
      .def("current_advertisement", &KeySchedule::current_advertisement)
      .def("next_rotation", &KeySchedule::next_rotation)
      .def("history", &KeySchedule::history)
      .def("keys_for_upload", &KeySchedule::keys_for_upload)
      .def("release_current_key", &KeySchedule::release_current_key);

  register_store(m);
  register_matching(m);
  register_app(m);
}
