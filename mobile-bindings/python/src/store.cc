// exposure.Store (the encrypted device store) and the sightings CSV functions.
#include <cstring>

#include "support.h"

namespace exposure::python {
namespace {

class Store {
 public:
  Store(const py::object& path, const py::bytes& key, int64_t now, uint32_t retention_days, bool create_if_missing,
        uint64_t max_database_bytes) {
    std::string directory = fspath(path);
    std::string k = key;
    exposure_store_options options;
    exposure_store_options_init(&options);
    options.now_unix_seconds = now;
    options.retention_days = retention_days;
    options.create_if_missing = create_if_missing ? 1 : 0;
    options.max_database_bytes = max_database_bytes;
    exposure_status status;
    {
      py::gil_scoped_release unlocked;
      status = exposure_store_open(directory.c_str(), reinterpret_cast<const uint8_t*>(k.data()), k.size(), &options,
                                   &store_);
    }
    wipe(k);
    check(status);
  }
  ~Store() { exposure_store_close(store_); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  void close() {
    exposure_store_close(store_);
    store_ = nullptr;
  }
  void set_time(int64_t now) { check(exposure_store_set_time(open_store(), now)); }
  exposure_store* handle() { return open_store(); }

  py::dict add_sightings(const py::iterable& sightings) {
    std::vector<exposure_sighting> batch = sightings_from(sightings);
    exposure_store* store = open_store();
    exposure_ingest_report report{};
    {
      py::gil_scoped_release unlocked;
      check(exposure_store_add_sightings(store, batch.data(), batch.size(), &report));
    }
    py::dict out;
    out["stored"] = report.stored;
    out["expired"] = report.expired;
    return out;
  }

  py::list load_sightings() {
    exposure_store* store = open_store();
    exposure_sighting* sightings = nullptr;
    size_t count = 0;
    {
      py::gil_scoped_release unlocked;
      check(exposure_store_load_sightings(store, &sightings, &count));
    }
    return take_sightings(sightings, count);
  }

  void save_own_keys(const py::iterable& keys) {
    std::vector<exposure_tek> c = teks_from(keys);
    exposure_status status = exposure_store_save_own_keys(open_store(), c.data(), c.size());
    wipe(c);
    check(status);
  }

  py::list load_own_keys() {
    exposure_tek* keys = nullptr;
    size_t count = 0;
    check(exposure_store_load_own_keys(open_store(), &keys, &count));
    return take_teks(keys, count);
  }

  void rotate_key(const py::bytes& new_key) {
    std::string k = new_key;
    exposure_store* store = open_store();
    exposure_status status;
    {
      py::gil_scoped_release unlocked;
      status = exposure_store_rotate_key(store, reinterpret_cast<const uint8_t*>(k.data()), k.size());
    }
    wipe(k);
    check(status);
  }

  py::dict stats() {
    exposure_store_stats s{};
    check(exposure_store_stats_get(open_store(), &s));
    py::dict out;
    out["sightings"] = s.sightings;
    out["chunks"] = s.chunks;
    out["own_keys"] = s.own_keys;
    out["days_covered"] = s.days_covered;
    out["first_day"] = s.first_day >= 0 ? py::object(py::int_(s.first_day)) : py::object(py::none());
    out["last_day"] = s.last_day >= 0 ? py::object(py::int_(s.last_day)) : py::object(py::none());
    out["database_bytes"] = s.database_bytes;
    out["wal_bytes"] = s.wal_bytes;
    return out;
  }

 private:
  exposure_store* open_store() {
    if (store_ == nullptr) throw py::value_error("the store is closed");
    return store_;
  }
  exposure_store* store_ = nullptr;
};

py::bytes generate_storage_key() {
  uint8_t key[EXPOSURE_STORAGE_KEY_LENGTH];
  check(exposure_generate_storage_key(key, sizeof key));
  py::bytes out = to_bytes(key, sizeof key);
  exposure_wipe(key, sizeof key);
  return out;
}

void wipe_store(const py::object& path) {
  std::string directory = fspath(path);
  py::gil_scoped_release unlocked;
  check(exposure_store_wipe(directory.c_str()));
}

py::list sightings_from_csv(const std::string& text) {
  exposure_sighting* sightings = nullptr;
  size_t count = 0;
  {
    py::gil_scoped_release unlocked;
    check(exposure_sightings_from_csv(text.data(), text.size(), &sightings, &count));
  }
  return take_sightings(sightings, count);
}

py::list read_sightings_csv(const py::object& path) {
  std::string file = fspath(path);
  exposure_sighting* sightings = nullptr;
  size_t count = 0;
  {
    py::gil_scoped_release unlocked;
    check(exposure_sightings_from_csv_file(file.c_str(), &sightings, &count));
  }
  return take_sightings(sightings, count);
}

std::string sightings_to_csv(const py::iterable& sightings) {
  std::vector<exposure_sighting> c = sightings_from(sightings);
  char* text = nullptr;
  check(exposure_sightings_to_csv(c.data(), c.size(), &text));
  std::string out = text;
  exposure_free_string(text);
  return out;
}

}  // namespace

exposure_store* store_handle(const py::handle& store) { return store.cast<Store&>().handle(); }

void register_store(py::module_& m) {
  py::class_<Store>(m, "Store", "The encrypted device store in a directory, opened with the host's 32-byte key.")
      .def(py::init<const py::object&, const py::bytes&, int64_t, uint32_t, bool, uint64_t>(), py::arg("directory"),
           py::arg("key"), py::arg("now") = 0, py::arg("retention_days") = 14, py::arg("create_if_missing") = true,
           py::arg("max_database_bytes") = 0)
      .def("close", &Store::close)
      .def("__enter__", [](Store& s) -> Store& { return s; }, py::return_value_policy::reference)
      .def("__exit__", [](Store& s, const py::args&) { s.close(); })
      .def("set_time", &Store::set_time, py::arg("now"))
      .def("add_sightings", &Store::add_sightings, py::arg("sightings"),
           "Adds a batch in one transaction; returns {'stored', 'expired'}.")
      .def("load_sightings", &Store::load_sightings)
      .def("save_own_keys", &Store::save_own_keys, py::arg("keys"))
      .def("load_own_keys", &Store::load_own_keys)
      .def("rotate_key", &Store::rotate_key, py::arg("new_key"))
      .def("stats", &Store::stats);
  m.def("generate_storage_key", &generate_storage_key, "A fresh 32-byte storage key.");
  m.def("wipe_store", &wipe_store, py::arg("directory"), "Deletes a store (overwritten, then removed).");
  m.def("sightings_from_csv", &sightings_from_csv, py::arg("text"),
        "Sightings (dicts) from CSV text: rpi,aem,time,rssi[,previous_scan_time].");
  m.def("read_sightings_csv", &read_sightings_csv, py::arg("path"), "Sightings (dicts) from a CSV file.");
  m.def("sightings_to_csv", &sightings_to_csv, py::arg("sightings"), "Sightings as CSV text.");
}

}  // namespace exposure::python
