// exposure.Exchange (the app's protocol without I/O: upload, exposure check, chaff) and
// exposure.HttpRequest, over the C ABI's exchanges. The caller sends each request with its own
// HTTP client and hands the reply back; receive() releases the GIL (a check verifies and
// matches archives there).
#include <cstring>
#include <map>

#include "exchange_inputs.h"
#include "support.h"

namespace exposure::python {
namespace {

int32_t name_to_number(const std::map<std::string, int32_t>& names, const std::string& name,
                       const char* what) {
  auto found = names.find(name);
  if (found != names.end()) return found->second;
  std::string known;
  for (const auto& [known_name, number] : names) known += (known.empty() ? "" : ", ") + known_name;
  throw py::value_error(std::string(what) + ": '" + name + "' is not one of " + known);
}

const std::map<std::string, int32_t> kFlows = {{"google", EXPOSURE_UPLOAD_GOOGLE},
                                               {"cocoa", EXPOSURE_UPLOAD_COCOA}};
const std::map<std::string, int32_t> kChaffRoutes = {{"verify", EXPOSURE_CHAFF_VERIFY},
                                                     {"certificate", EXPOSURE_CHAFF_CERTIFICATE},
                                                     {"publish", EXPOSURE_CHAFF_PUBLISH},
                                                     {"cocoa", EXPOSURE_CHAFF_COCOA}};

// A request to send: method, path (or absolute URL), headers (dict), body (bytes).
class HttpRequest {
 public:
  explicit HttpRequest(bindings::OwnedRequest request) : request_(std::move(request)) {}
  const std::string& method() const { return request_.method; }
  const std::string& path() const { return request_.path; }
  py::dict headers() const {
    py::dict out;
    for (const auto& [name, value] : request_.headers) out[py::str(name)] = value;
    return out;
  }
  py::bytes body() const { return py::bytes(request_.body); }

 private:
  bindings::OwnedRequest request_;
};

class Exchange {
 public:
  // `store` is the exposure.Store the exchange reads and writes (None for chaff); it is kept
  // alive here, and every call first checks that it is still open.
  Exchange(bindings::ExchangeHandle exchange, py::object store)
      : exchange_(std::move(exchange)), store_(std::move(store)) {}

  static Exchange upload(const py::object& store, const py::iterable& keys, const std::string& code,
                         const std::string& flow, const std::optional<std::string>& app_id,
                         const std::vector<std::string>& regions,
                         const std::optional<std::string>& platform,
                         const std::optional<std::string>& onset_date, int32_t transmission_risk,
                         int64_t now) {
    bindings::UploadInputs inputs;
    inputs.flow = name_to_number(kFlows, flow, "flow");
    inputs.code = code;
    inputs.app_id = app_id;
    inputs.regions = regions;
    inputs.platform = platform;
    inputs.onset_date = onset_date;
    inputs.transmission_risk = transmission_risk;
    inputs.now_unix_seconds = now;
    std::vector<exposure_tek> teks = teks_from(keys);
    exposure_upload_options options = inputs.options();
    exposure_exchange* out = nullptr;
    exposure_status status =
        exposure_upload_start(store_handle(store), teks.data(), teks.size(), &options, &out);
    wipe(teks);
    check(status);
    return Exchange(bindings::ExchangeHandle(out), store);
  }

  static Exchange check_exposure(const py::object& store, const std::string& region,
                                 const py::dict& public_keys, const py::object& config,
                                 const std::optional<std::string>& platform,
                                 const std::optional<std::string>& export_path, bool use_list_json,
                                 int64_t now, uint32_t threads) {
    bindings::CheckInputs inputs;
    inputs.region = region;
    export_sources_from(py::list(), public_keys, false, &inputs.sources);
    inputs.config_json = config_text(config);
    inputs.platform = platform;
    inputs.export_path = export_path;
    inputs.use_list_json = use_list_json;
    inputs.now_unix_seconds = now;
    inputs.threads = threads;
    exposure_check_options options = inputs.options();
    exposure_exchange* out = nullptr;
    check(exposure_check_start(store_handle(store), &options, &out));
    return Exchange(bindings::ExchangeHandle(out), store);
  }

  static Exchange chaff(const std::string& route) {
    exposure_exchange* out = nullptr;
    check(exposure_chaff_start(name_to_number(kChaffRoutes, route, "route"), &out));
    return Exchange(bindings::ExchangeHandle(out), py::none());
  }

  py::object next_request() {
    exposure_http_request request;
    int32_t done = 0;
    check(exposure_exchange_next_request(open_exchange(), &request, &done));
    if (done != 0) return py::none();
    return py::cast(HttpRequest(bindings::copy_request(request)));
  }

  void receive(int32_t http_status, const py::bytes& body) {
    exposure_exchange* exchange = open_exchange();
    std::string data = body;
    exposure_status status;
    {
      py::gil_scoped_release unlocked;
      status = exposure_exchange_receive(
          exchange, http_status, reinterpret_cast<const uint8_t*>(data.data()), data.size());
    }
    if (status != EXPOSURE_OK) raise_error(status, exposure_last_error());
  }

  py::object result() {
    char* json = nullptr;
    check(exposure_exchange_result_json(open_exchange(), &json));
    return take_json(json);
  }

  bool notifies() {
    int32_t notify = 0;
    check(exposure_check_notify(open_exchange(), &notify));
    return notify != 0;
  }

  void close() { exchange_.reset(); }

 private:
  exposure_exchange* open_exchange() {
    if (!exchange_) throw py::value_error("the exchange is closed");
    if (!store_.is_none()) store_handle(store_);  // ValueError once the store is closed
    return exchange_.get();
  }

  // Raises exposure.ExposureError for a failed receive(), with the server's refusal (when the
  // exchange ended with one) as .http_status and .server_code (None when unknown).
  void raise_error(exposure_status status, std::string message) {
    py::object http_status = py::none(), server_code = py::none();
    char* json = nullptr;
    if (exposure_exchange_result_json(exchange_.get(), &json) == EXPOSURE_OK) {
      py::dict error = take_json(json)["error"].cast<py::dict>();
      if (error["http_status"].cast<int>() != 0) http_status = error["http_status"];
      if (!error["server_code"].cast<std::string>().empty()) server_code = error["server_code"];
    }
    py::object type = py::module_::import("exposure").attr("ExposureError");
    py::object instance = type(message);
    instance.attr("status") = static_cast<int>(status);
    instance.attr("code") = exposure_status_name(status);
    instance.attr("http_status") = http_status;
    instance.attr("server_code") = server_code;
    PyErr_SetObject(type.ptr(), instance.ptr());
    throw py::error_already_set();
  }

  bindings::ExchangeHandle exchange_;
  py::object store_;
};

}  // namespace

void register_app(py::module_& m) {
  py::class_<HttpRequest>(m, "HttpRequest",
                          "A request an Exchange wants sent: method, path, headers, body.")
      .def_property_readonly("method", &HttpRequest::method, "'GET', 'POST' or 'PUT'")
      .def_property_readonly(
          "path", &HttpRequest::path,
          "A path on the app's server ('/api/verify'), or an absolute URL (list.json archives).")
      .def_property_readonly("headers", &HttpRequest::headers, "{name: value}")
      .def_property_readonly("body", &HttpRequest::body, "JSON for POST and PUT, b'' for GET.")
      .def("__repr__", [](const HttpRequest& r) {
        return "<HttpRequest " + r.method() + " " + r.path() + ">";
      });

  py::class_<Exchange>(
      m, "Exchange",
      "The app's protocol without I/O (docs/app-sdk.md): send next_request() with your own HTTP "
      "client, hand the reply to receive(status, body), until next_request() is None; then "
      "result(). A context manager; close() frees it.")
      .def_static(
          "upload", &Exchange::upload, py::arg("store"), py::arg("keys"), py::kw_only(),
          py::arg("code"), py::arg("flow") = "google", py::arg("app_id") = py::none(),
          py::arg("regions") = std::vector<std::string>(), py::arg("platform") = py::none(),
          py::arg("onset_date") = py::none(), py::arg("transmission_risk") = 0, py::arg("now") = 0,
          "Uploads keys (KeySchedule.keys_for_upload()) after a positive test: flow 'google' "
          "(code -> verify -> certificate -> publish) or 'cocoa' (the code is the processing "
          "number; "
          "regions required). The store records the upload and the revision token.")
      .def_static("check", &Exchange::check_exposure, py::arg("store"), py::kw_only(),
                  py::arg("region"), py::arg("public_keys"), py::arg("config"),
                  py::arg("platform") = py::none(), py::arg("export_path") = py::none(),
                  py::arg("use_list_json") = false, py::arg("now") = 0, py::arg("threads") = 1,
                  "An incremental exposure check of the store's sightings: the region's index, "
                  "then each new "
                  "archive, verified with public_keys {'ID-VERSION': key}; scored with config "
                  "(JSON text or "
                  "dict) on platform 'android' (default) or 'ios'.")
      .def_static(
          "chaff", &Exchange::chaff, py::arg("route"),
          "One chaff request shaped like route 'verify', 'certificate', 'publish' or 'cocoa'.")
      .def("next_request", &Exchange::next_request,
           "The HttpRequest to send now, or None when the exchange ended.")
      .def("receive", &Exchange::receive, py::arg("status"), py::arg("body"),
           "The reply to the last request (status 0 when none came). Raises ExposureError (.code "
           "'rejected', "
           "'unavailable', 'malformed', ...; .http_status and .server_code of a refusal) when it "
           "ends the exchange.")
      .def("result", &Exchange::result,
           "How the exchange ended, as a dict ({'upload'|'check'|'chaff'|'error': ...}).")
      .def("notifies", &Exchange::notifies, "A finished check's decision: notify the user now?")
      .def("close", &Exchange::close)
      .def(
          "__enter__", [](Exchange& x) -> Exchange& { return x; },
          py::return_value_policy::reference)
      .def("__exit__", [](Exchange& x, const py::args&) { x.close(); });
}

}  // namespace exposure::python
