// Two phones through Exchange against a real exposure-server on loopback, with URLSession as
// the app's transport: the round of mobile-bindings/python/tests/test_app_round.py and the
// Java binding's ExposureAppRoundTest. Phone A advertises; phone B parses A's advertising
// payloads and records them in its encrypted store; A tests positive and uploads its keys
// (Google flow, then COCOA flow in a second case); the server exports; B's check notifies with
// its reasons; a second check downloads and notifies nothing new; a later archive re-matches
// A's key without notifying the day again. Also: a wrong code is rejected with the server's
// code, a server that is down is unavailable, and chaff. The server runs on a fake clock, so
// nothing here depends on the time of day. EXPOSURE_SERVER_BINARY names the server
// (scripts/test-packages.sh sets it); without it the cases are skipped.
import Exposure
import Foundation
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

private let region = "JP"
private let appId = "com.example.app"
private let day: Int64 = 1_773_100_800  // 2026-03-10T00:00:00Z
private let met = day + 15 * 3600  // A and B meet at 15:00 UTC
private let scans = (0..<5).map { met + 300 * Int64($0) }  // 20 minutes, one scan every 5 minutes
private let rssi: Int8 = -60  // attenuation 60 dB with A's TX power 0: bucket NEAR (55 < 60 <= 63)
private let tested = met + 30 * 60  // A's positive test and upload, 15:30
private let checked = day + 86400 + 12 * 3600  // export and B's check, the next day at noon
private let config = """
  {"attenuationBucketThresholdDb": [55, 63, 70], "attenuationBucketWeights": [1.0, 1.0, 0.5, 0],
   "reportTypeWeights": [0, 1, 1, 1, 1, 0], "infectiousnessWeights": [0, 1, 1], "minimumDailyScore": 900}
  """
// 5 scans x 300 s at weight 1.0, a confirmed test (1.0), standard infectiousness (1.0).
private let expectedScore = 1500.0

private func object(_ json: String) throws -> [String: Any] {
  try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
}

private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

// The app's transport: the library builds the requests, URLSession sends them (never via a
// proxy). Status 0 when no reply came.
private let session: URLSession = {
  let configuration = URLSessionConfiguration.ephemeral
  configuration.connectionProxyDictionary = [:]
  configuration.timeoutIntervalForRequest = 60
  return URLSession(configuration: configuration)
}()

private final class Reply: @unchecked Sendable {
  var status = 0
  var body = Data()
}

private func send(_ message: URLRequest) -> (status: Int, body: Data) {
  let reply = Reply()
  let done = DispatchSemaphore(value: 0)
  session.dataTask(with: message) { data, response, error in
    if error == nil, let http = response as? HTTPURLResponse {
      reply.status = http.statusCode
      reply.body = data ?? Data()
    }
    done.signal()
  }.resume()
  done.wait()
  return (reply.status, reply.body)
}

private func send(_ request: HTTPRequest, base: URL) -> (status: Int, body: Data) {
  var message = URLRequest(url: request.url(base: base))
  message.httpMethod = request.method
  for (name, value) in request.headers { message.setValue(value, forHTTPHeaderField: name) }
  if request.method != "GET" { message.httpBody = request.body }
  return send(message)
}

/// Sends every request of the exchange; returns its result (throws on an error).
private func runToEnd(_ exchange: Exchange, base: URL) throws -> [String: Any] {
  while let request = try exchange.nextRequest() {
    let reply = send(request, base: base)
    try exchange.receive(status: reply.status, body: reply.body)
  }
  return try object(try exchange.resultJSON())
}

/// exposure-server in its own directory: SQLite, secret, export tree, fake clock.
private final class Server {
  let dir: URL
  let binary: String
  let log: FileHandle
  var process: Process?
  var base: URL!

  init(dir: URL, binary: String) throws {
    self.dir = dir
    self.binary = binary
    let logPath = dir.appendingPathComponent("server.log").path
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    log = try XCTUnwrap(FileHandle(forWritingAtPath: logPath))
  }

  deinit { stop() }

  private func spawn(_ args: [String], stdout: Pipe) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = args + [
      "--db", "sqlite:\(dir.path)/server.db", "--secret-file", dir.appendingPathComponent("secret").path,
      "--export-root", dir.appendingPathComponent("exports").path,
      "--fake-clock-file", dir.appendingPathComponent("clock").path,
    ]
    process.standardOutput = stdout
    process.standardError = log
    try process.run()
    return process
  }

  func logText() -> String {
    (try? String(contentsOf: dir.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
  }

  func setTime(_ unixSeconds: Int64) throws {
    let clock = dir.appendingPathComponent("clock")
    let next = dir.appendingPathComponent("clock.tmp")
    try "\(unixSeconds)\n".write(to: next, atomically: false, encoding: .utf8)
    XCTAssertEqual(rename(next.path, clock.path), 0, "rename clock.tmp")
  }

  @discardableResult
  func admin(_ args: String...) throws -> String {
    let out = Pipe()
    let process = try spawn(args, stdout: out)
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ServerFailed(
        what: "exposure-server \(args.joined(separator: " ")): exit \(process.terminationStatus)\n\(logText())")
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func start() throws {
    let out = Pipe()
    process = try spawn(["serve", "--listen", "127.0.0.1:0", "--no-export-worker"], stdout: out)
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }  // end of output: the server exited
      line.append(chunk)
    }
    try out.fileHandleForReading.close()
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    let prefix = "listening on "
    guard text.hasPrefix(prefix), let url = URL(string: String(text.dropFirst(prefix.count))) else {
      stop()
      throw ServerFailed(what: "exposure-server serve did not start: '\(text)'\n\(logText())")
    }
    base = url
  }

  func stop() {
    guard let running = process else { return }
    running.terminate()
    running.waitUntilExit()
    process = nil
  }
}

private struct ServerFailed: Error, CustomStringConvertible {
  let what: String
  var description: String { what }
}

final class ExposureAppRoundTests: XCTestCase {
  private var work: URL!
  private var server: Server!
  private var apiKey = ""
  private var publicKeys: [PublicKey] = []
  private var phoneA: Store!
  private var phoneB: Store!

  override func setUpWithError() throws {
    guard let binary = ProcessInfo.processInfo.environment["EXPOSURE_SERVER_BINARY"], !binary.isEmpty else {
      throw XCTSkip("EXPOSURE_SERVER_BINARY names no exposure-server (scripts/test-packages.sh sets it)")
    }
    work = FileManager.default.temporaryDirectory.appendingPathComponent("exposure-app-round-\(UUID().uuidString)")
    let serverDir = work.appendingPathComponent("server")
    try FileManager.default.createDirectory(at: serverDir, withIntermediateDirectories: true)
    server = try Server(dir: serverDir, binary: binary)
    try server.setTime(met)
    apiKey = try server.admin("ha", "add", "Test Lab")
    try server.admin("app", "add", appId, "--region", region)
    let signingKey = try server.admin("signing-key", "add", "--id", "440", "--version", "v1")
    let fields = try XCTUnwrap(signingKey.split(separator: "\n").last).split(separator: ",", maxSplits: 1)
    XCTAssertEqual(fields.count, 2, signingKey)
    publicKeys = [PublicKey(name: String(fields[0]), pem: String(fields[1]))]  // "ID-VERSION,BASE64"
    try server.admin("export", "--once")  // marks the windows before the upload as done
    try server.start()
    phoneA = try openStore("a", now: met)
    phoneB = try openStore("b", now: met)
  }

  override func tearDownWithError() throws {
    phoneA = nil
    phoneB = nil
    server?.stop()
    server = nil
    if let work = work { try? FileManager.default.removeItem(at: work) }
  }

  private func openStore(_ name: String, now: Int64) throws -> Store {
    try Store(directory: work.appendingPathComponent(name).path, key: try Store.generateKey(), now: now)
  }

  /// A advertises during the scans; B parses each payload it hears and stores the sightings.
  private func meet() throws -> KeySchedule {
    let schedule = try KeySchedule(now: met)
    var heard: [Sighting] = []
    for time in scans {
      try schedule.setTime(time)
      let beacon = try Beacon.parse(advertisingData: try schedule.currentAdvertisement().advertisingData)
      heard.append(Sighting(beacon: beacon, time: UInt32(time), previousScanTime: UInt32(time - 300), rssi: rssi))
    }
    try phoneA.saveOwnKeys(try schedule.history())
    let report = try phoneB.addSightings(heard)
    XCTAssertEqual(report.stored, UInt64(scans.count))
    XCTAssertEqual(report.expired, 0)
    return schedule
  }

  private func keysToUpload(_ schedule: KeySchedule, _ store: Store, now: Int64) throws -> [TemporaryExposureKey] {
    try schedule.setTime(now)
    try schedule.releaseCurrentKey()  // same-day release: today's key is uploaded now
    try store.saveOwnKeys(try schedule.history())
    let keys = try schedule.keysForUpload()
    XCTAssertEqual(keys.count, 1)
    return keys
  }

  /// The health authority's side: a verification code for a confirmed test.
  private func issueCode(now: Int64) throws -> String {
    try server.setTime(now)
    var message = URLRequest(url: server.base.appendingPathComponent("api/issue"))
    message.httpMethod = "POST"
    message.setValue("application/json", forHTTPHeaderField: "Content-Type")
    message.setValue(apiKey, forHTTPHeaderField: "X-API-Key")
    message.httpBody = Data(#"{"testType": "confirmed", "symptomDate": "2026-03-09"}"#.utf8)
    let reply = send(message)
    let text = String(decoding: reply.body, as: UTF8.self)
    XCTAssertEqual(reply.status, 200, text)
    return try XCTUnwrap(try object(text)["code"] as? String, text)
  }

  private func upload(_ flow: UploadOptions.Flow, _ store: Store, _ keys: [TemporaryExposureKey], now: Int64) throws {
    var options = UploadOptions(code: try issueCode(now: now), flow: flow)  // COCOA: the processing number
    options.nowUnixSeconds = now
    if flow == .cocoa {
      options.regions = [region]
      options.appId = appId
      options.onsetDate = "2026-03-09T00:00:00Z"
    }
    let result = try runToEnd(try Exchange.upload(store: store, keys: keys, options: options), base: server.base)
    let upload = try XCTUnwrap(result["upload"] as? [String: Any], "\(result)")
    XCTAssertEqual(upload["flow"] as? String, flow == .google ? "google" : "cocoa")
    XCTAssertEqual(upload["keys_sent"] as? Int, 1)
    XCTAssertEqual(upload["keys_inserted"] as? Int, 1)
    XCTAssertEqual(upload["revised"] as? Bool, false)
    if flow == .google { XCTAssertEqual(upload["test_type"] as? String, "confirmed") }
  }

  /// The server exports at `now`; B checks. Returns the check's result and decision.
  private func exportAndCheck(now: Int64) throws -> (check: [String: Any], notifies: Bool) {
    try server.setTime(now)
    try server.admin("export", "--once")
    try phoneB.setTime(now)
    var options = CheckOptions(region: region, publicKeys: publicKeys, configJSON: config)
    options.nowUnixSeconds = now
    let exchange = try Exchange.check(store: phoneB, options: options)
    let result = try runToEnd(exchange, base: server.base)
    return (try XCTUnwrap(result["check"] as? [String: Any], "\(result)"), try exchange.notifies)
  }

  private func round(_ flow: UploadOptions.Flow) throws {
    let keys = try keysToUpload(try meet(), phoneA, now: tested)
    try upload(flow, phoneA, keys, now: tested)
    let key = hex(keys[0].keyData)

    let (first, notifies) = try exportAndCheck(now: checked)
    XCTAssertTrue(notifies)
    let archives = try XCTUnwrap(first["archives_new"] as? [Any]).count
    XCTAssertGreaterThanOrEqual(archives, 1)
    XCTAssertEqual(first["archives_in_index"] as? Int, archives)
    let matched = try XCTUnwrap(first["matched_keys"] as? [[String: Any]])
    XCTAssertEqual(matched.map { $0["key"] as? String }, [key])
    XCTAssertEqual(matched.first?["report_type"] as? String, "CONFIRMED_TEST")
    XCTAssertEqual(matched.first?["sightings"] as? Int, scans.count)
    let decision = try XCTUnwrap(first["decision"] as? [String: Any])
    XCTAssertEqual(decision["notify"] as? Bool, true, "\(decision)")
    XCTAssertEqual(decision["new_days"] as? [String], ["2026-03-10"])
    let days = try XCTUnwrap(decision["qualifying_days"] as? [[String: Any]])
    XCTAssertEqual(days.count, 1)
    XCTAssertEqual(days.first?["day"] as? String, "2026-03-10")
    XCTAssertEqual(days.first?["api"] as? String, "v2")
    XCTAssertEqual(days.first?["score"] as? Double, expectedScore)
    XCTAssertEqual(days.first?["threshold"] as? Double, 900)
    XCTAssertEqual(days.first?["notified_before"] as? Bool, false)
    XCTAssertFalse(try XCTUnwrap(decision["reasons"] as? [Any]).isEmpty)

    // Nothing new on the server: only the index is downloaded, nothing notified.
    let (second, notifiesAgain) = try exportAndCheck(now: checked)
    XCTAssertFalse(notifiesAgain)
    XCTAssertEqual((second["archives_new"] as? [Any])?.count, 0)
    XCTAssertEqual(second["archives_in_index"] as? Int, archives)
    XCTAssertEqual(second["keys_processed"] as? Int, 0)
    XCTAssertLessThan(try XCTUnwrap(second["bytes_downloaded"] as? Int), try XCTUnwrap(first["bytes_downloaded"] as? Int))
    let secondDecision = try XCTUnwrap(second["decision"] as? [String: Any])
    XCTAssertEqual(secondDecision["notify"] as? Bool, false)
    XCTAssertEqual(secondDecision["new_days"] as? [String], [])

    // Someone B never met uploads; B processes the new archive, still matches A's key (kept in
    // the store), and the day it was notified for is not notified again.
    do {
      let phoneC = try openStore("c", now: checked)
      try upload(flow, phoneC, try keysToUpload(try KeySchedule(now: checked), phoneC, now: checked), now: checked)
    }
    let (third, notifiesThird) = try exportAndCheck(now: checked + 4 * 3600)
    XCTAssertFalse(notifiesThird)
    XCTAssertEqual((third["archives_new"] as? [Any])?.count, 1)
    XCTAssertEqual((third["matched_keys"] as? [[String: Any]])?.map { $0["key"] as? String }, [key])
    let thirdDecision = try XCTUnwrap(third["decision"] as? [String: Any])
    XCTAssertEqual(thirdDecision["new_days"] as? [String], [])
    let thirdDays = try XCTUnwrap(thirdDecision["qualifying_days"] as? [[String: Any]])
    XCTAssertEqual(thirdDays.map { $0["day"] as? String }, ["2026-03-10"])
    XCTAssertEqual(thirdDays.map { $0["notified_before"] as? Bool }, [true])
  }

  func testGoogleFlowUploadThenNotify() throws { try round(.google) }

  func testCocoaFlowUploadThenNotify() throws { try round(.cocoa) }

  func testWrongCodeIsRejectedWithTheServersCode() throws {
    let keys = try keysToUpload(try meet(), phoneA, now: tested)
    var options = UploadOptions(code: "00000000")
    options.nowUnixSeconds = tested
    let upload = try Exchange.upload(store: phoneA, keys: keys, options: options)
    let request = try XCTUnwrap(try upload.nextRequest())
    XCTAssertEqual(request.method, "POST")
    XCTAssertEqual(request.path, "/api/verify")
    XCTAssertNil(upload.serverError, "no server error while running")
    let reply = send(request, base: server.base)
    XCTAssertThrowsError(try upload.receive(status: reply.status, body: reply.body)) { error in
      let failure = error as? ExposureError
      XCTAssertEqual(failure?.kind, .rejected, "\(error)")
      XCTAssertEqual(failure?.code, "rejected")
      XCTAssertEqual(failure?.server?.httpStatus, 400)
      XCTAssertEqual(failure?.server?.code, "code_not_found")
    }
    XCTAssertNil(try upload.nextRequest())
    XCTAssertEqual(upload.serverError?.code, "code_not_found")
    let error = try XCTUnwrap(try object(try upload.resultJSON())["error"] as? [String: Any])
    XCTAssertEqual(error["server_code"] as? String, "code_not_found")
    // Nothing was published: B's check finds no archive and does not notify.
    let (check, notifies) = try exportAndCheck(now: checked)
    XCTAssertEqual(check["archives_in_index"] as? Int, 0)
    XCTAssertFalse(notifies)
  }

  func testServerDownIsUnavailableAndTheNextCheckResumes() throws {
    let keys = try keysToUpload(try meet(), phoneA, now: tested)
    try upload(.google, phoneA, keys, now: tested)
    try server.setTime(checked)
    try server.admin("export", "--once")
    let base = try XCTUnwrap(server.base)
    server.stop()
    try phoneB.setTime(checked)
    var options = CheckOptions(region: region, publicKeys: publicKeys, configJSON: config)
    options.nowUnixSeconds = checked
    let down = try Exchange.check(store: phoneB, options: options)
    let request = try XCTUnwrap(try down.nextRequest())
    let reply = send(request, base: base)
    XCTAssertEqual(reply.status, 0, "no reply from a stopped server")
    XCTAssertThrowsError(try down.receive(status: reply.status, body: reply.body)) { error in
      XCTAssertEqual((error as? ExposureError)?.kind, .unavailable, "\(error)")
      XCTAssertNil((error as? ExposureError)?.server, "no HTTP reply, no server error")
    }
    XCTAssertThrowsError(try down.notifies) { error in
      XCTAssertEqual((error as? ExposureError)?.kind, .failedPrecondition, "\(error)")
    }
    // The failed check left the store's check state as it was: the next one finds A's key.
    try server.start()
    let (check, notifies) = try exportAndCheck(now: checked)
    XCTAssertTrue(notifies)
    XCTAssertEqual((check["matched_keys"] as? [[String: Any]])?.map { $0["key"] as? String }, [hex(keys[0].keyData)])
  }

  func testChaffLooksLikeAPublishAndIsAnswered() throws {
    let chaff = try Exchange.chaff(route: .publish)
    let request = try XCTUnwrap(try chaff.nextRequest())
    XCTAssertEqual(request.method, "POST")
    XCTAssertEqual(request.path, "/v1/publish")
    XCTAssertEqual(request.headers["X-Chaff"], "1")
    let reply = send(request, base: server.base)
    XCTAssertEqual(reply.status, 200)
    try chaff.receive(status: reply.status, body: Data())
    XCTAssertNil(try chaff.nextRequest())
    XCTAssertEqual(try object(try chaff.resultJSON())["chaff"] as? Bool, true)
  }
}
