// The app's protocol without I/O (docs/app-sdk.md): an upload after a positive test, an
// incremental exposure check, or one chaff request, over the C ABI's exchanges. The library
// builds every request and reads every reply; the app sends them with URLSession.
import CExposure
import Foundation

// Support.swift's check(_:), under a name Exchange.check(store:options:) does not hide.
private func succeed(_ status: exposure_status) throws { try check(status) }

/// A request an Exchange wants sent.
public struct HTTPRequest {
  /// "GET", "POST" or "PUT".
  public let method: String
  /// A path on the app's server ("/api/verify"), or an absolute URL (archives named by list.json).
  public let path: String
  public let headers: [String: String]
  /// JSON text for POST and PUT; empty for GET.
  public let body: Data

  /// The URL to send to: `path` itself when absolute, else `path` on `base` ("http://host:port").
  public func url(base: URL) -> URL {
    if path.hasPrefix("http://") || path.hasPrefix("https://"), let absolute = URL(string: path) { return absolute }
    return URL(string: path, relativeTo: base)!.absoluteURL
  }
}

/// Options of Exchange.upload; nil texts take the library's defaults.
public struct UploadOptions {
  public enum Flow: Int32 {
    /// The code, then /api/verify, /api/certificate and /v1/publish.
    case google = 0
    /// PUT /api/v3/diagnosis with the processing number.
    case cocoa = 1
  }

  public var flow: Flow = .google
  /// The verification code from the health authority, or the COCOA processing number (required).
  public var code: String
  /// healthAuthorityID (Google) / appPackageName (COCOA); nil: "com.example.app".
  public var appId: String? = nil
  /// COCOA: the regions the keys are for (at least one).
  public var regions: [String] = []
  /// COCOA platform field; nil: "android".
  public var platform: String? = nil
  /// COCOA onsetOfSymptomOrTestDate (RFC 3339, e.g. "2026-03-09T00:00:00Z"); nil: none.
  public var onsetDate: String? = nil
  /// 0...8 sent with every key; 0: the server sets it from the report type.
  public var transmissionRisk: Int32 = 0
  /// Unix seconds recorded with the upload; 0 = the system clock.
  public var nowUnixSeconds: Int64 = 0

  public init(code: String, flow: Flow = .google) {
    self.code = code
    self.flow = flow
  }
}

/// Options of Exchange.check; nil texts take the library's defaults.
public struct CheckOptions {
  /// The region whose index is read, e.g. "JP" (required).
  public var region: String
  /// The export signer's keys (at least one); each archive must verify against one.
  public var publicKeys: [PublicKey]
  /// The risk configuration, JSON (required; docs/risk.md).
  public var configJSON: String
  /// Where the export tree is on the server; nil: "/exports".
  public var exportPath: String? = nil
  /// Read <region>/list.json instead of <region>/index.txt.
  public var useListJSON = false
  /// "android" (nil) or "ios": how to score.
  public var platform: String? = nil
  /// Unix seconds taken as now; 0 = the system clock.
  public var nowUnixSeconds: Int64 = 0
  /// Matching threads, 1...256.
  public var threads: UInt32 = 1

  public init(region: String, publicKeys: [PublicKey], configJSON: String) {
    self.region = region
    self.publicKeys = publicKeys
    self.configJSON = configJSON
  }
}

/// An upload, an exposure check or a chaff request in progress. Run it as
///
///     let upload = try Exchange.upload(store: store, keys: try schedule.keysForUpload(), options: options)
///     while let request = try upload.nextRequest() {
///       let (status, body) = send(request)     // status 0 when no reply came
///       try upload.receive(status: status, body: body)
///     }
///     let result = try upload.resultJSON()
///
/// receive(status:body:) throws ExposureError when the reply ends the exchange: kind .rejected
/// (the server refused: do not repeat; `server` has its code), .unavailable (no reply, 429 or
/// 5xx: try later), .malformed, .verificationFailed. The store is written only when an exchange
/// succeeds; the exchange keeps it open. Use an exchange and its store from one thread at a time.
public final class Exchange {
  /// The route a chaff request imitates.
  public enum ChaffRoute: Int32 {
    case verify = 0, certificate, publish, cocoa
  }

  private let handle: OpaquePointer
  private let store: Store?  // kept open while the exchange lives; nil for chaff

  private init(_ handle: OpaquePointer, store: Store?) {
    self.handle = handle
    self.store = store
  }

  deinit { exposure_exchange_free(handle) }

  /// Starts uploading `keys` (from keysForUpload(), after releaseCurrentKey() for today's key).
  /// The store records the upload and the server's revision token when the keys are accepted; a
  /// later upload sends that token back. Throws .invalidArgument for no keys, more than 30, no
  /// code, or COCOA without a region.
  public static func upload(store: Store, keys: [TemporaryExposureKey], options: UploadOptions) throws -> Exchange {
    var teks = keys.map { $0.c }
    defer { teks.withUnsafeMutableBytes { exposure_wipe($0.baseAddress, $0.count) } }
    let optional = [options.appId, options.platform, options.onsetDate]
    var out: OpaquePointer?
    try withCStrings([options.code] + optional.map { $0 ?? "" } + options.regions) { strings in
      try strings.withUnsafeBufferPointer { s in
        var c = exposure_upload_options()
        exposure_upload_options_init(&c)
        c.flow = options.flow.rawValue
        c.code = s[0]
        c.app_id = optional[0] == nil ? nil : s[1]
        c.platform = optional[1] == nil ? nil : s[2]
        c.onset_date = optional[2] == nil ? nil : s[3]
        c.regions = options.regions.isEmpty ? nil : s.baseAddress! + 4
        c.region_count = options.regions.count
        c.transmission_risk = options.transmissionRisk
        c.now_unix_seconds = options.nowUnixSeconds
        try succeed(exposure_upload_start(store.handle, teks, teks.count, &c, &out))
      }
    }
    return Exchange(out!, store: store)
  }

  /// Starts an incremental exposure check of the store's sightings: the region's index, then
  /// each archive no earlier check processed; it ends with one decision (`notifies`). Throws
  /// .invalidArgument naming the field for a bad option or configuration.
  public static func check(store: Store, options: CheckOptions) throws -> Exchange {
    var out: OpaquePointer?
    let texts = [options.region, options.configJSON, options.exportPath ?? "", options.platform ?? ""]
    try withCStrings(texts) { s in
      try withPublicKeys(options.publicKeys) { keys in
        try keys.withUnsafeBufferPointer { k in
          var c = exposure_check_options()
          exposure_check_options_init(&c)
          c.region = s[0]
          c.config_json = s[1]
          c.config_length = options.configJSON.utf8.count
          c.export_path = options.exportPath == nil ? nil : s[2]
          c.platform = options.platform == nil ? nil : s[3]
          c.use_list_json = options.useListJSON ? 1 : 0
          c.public_keys = k.baseAddress
          c.public_key_count = k.count
          c.now_unix_seconds = options.nowUnixSeconds
          c.threads = options.threads
          try succeed(exposure_check_start(store.handle, &c, &out))
        }
      }
    }
    return Exchange(out!, store: store)
  }

  /// One chaff request shaped like the real requests of `route` (X-Chaff: 1); any reply ends it.
  /// When to send chaff is the app's choice.
  public static func chaff(route: ChaffRoute) throws -> Exchange {
    var out: OpaquePointer?
    try succeed(exposure_chaff_start(route.rawValue, &out))
    return Exchange(out!, store: nil)
  }

  /// The request to send now, or nil when the exchange has ended.
  public func nextRequest() throws -> HTTPRequest? {
    var request = exposure_http_request()
    var done: Int32 = 0
    try succeed(exposure_exchange_next_request(handle, &request, &done))
    if done != 0 { return nil }
    var headers: [String: String] = [:]
    for i in 0..<request.header_count {
      headers[String(cString: request.headers[i].name)] = String(cString: request.headers[i].value)
    }
    let body = request.body == nil ? Data() : Data(bytes: request.body, count: request.body_length)
    return HTTPRequest(method: String(cString: request.method), path: String(cString: request.path),
                       headers: headers, body: body)
  }

  /// The reply to the last request: its HTTP status (0 when no reply came) and body (binary for
  /// archives). Throws ExposureError, with the server's refusal in `server`, when it ends the
  /// exchange with an error.
  public func receive(status: Int, body: Data) throws {
    let result = body.withUnsafeBytes { raw in
      exposure_exchange_receive(handle, Int32(clamping: status), raw.bindMemory(to: UInt8.self).baseAddress,
                                raw.count)
    }
    if result == EXPOSURE_OK { return }
    var error = ExposureError(status: result.rawValue, code: String(cString: exposure_status_name(result)),
                              message: String(cString: exposure_last_error()))
    error.server = serverError
    throw error
  }

  /// How the exchange ended, as JSON: {"upload": {...}}, {"check": {..., "decision": {"notify",
  /// "new_days", "qualifying_days", "reasons"}}}, {"chaff": true}, or {"error": {"status",
  /// "message", "http_status", "server_code", "server_message"}}. .failedPrecondition while it
  /// is running.
  public func resultJSON() throws -> String {
    var json: UnsafeMutablePointer<CChar>?
    try succeed(exposure_exchange_result_json(handle, &json))
    return takeString(json)
  }

  /// A finished, successful check's decision: notify the user now? .failedPrecondition otherwise.
  public var notifies: Bool {
    get throws {
      var notify: Int32 = 0
      try succeed(exposure_check_notify(handle, &notify))
      return notify != 0
    }
  }

  /// The server's refusal that ended the exchange, or nil (running, succeeded, or no HTTP reply).
  public var serverError: ServerError? {
    guard let json = try? resultJSON(), let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
      let error = (object as? [String: Any])?["error"] as? [String: Any],
      let httpStatus = error["http_status"] as? Int, httpStatus != 0
    else { return nil }
    return ServerError(httpStatus: httpStatus, code: error["server_code"] as? String ?? "",
                       message: error["server_message"] as? String ?? "")
  }
}
