// The Swift wrapper through the real libexposure_c, the same round as the Java binding's
// test (mobile-bindings/jni/src/test/java/org/exposure/ExposureRoundTest.java): official test
// vectors, a key schedule and its advertisement, sightings through the encrypted store,
// the conformance archive verified and matched, scoring, the linter, and native errors thrown
// as ExposureError. EXPOSURE_TEST_DATA_DIR names tests/data (default: found from this file).
import Exposure
import Foundation
import XCTest

private let data: URL = {
  if let dir = ProcessInfo.processInfo.environment["EXPOSURE_TEST_DATA_DIR"] { return URL(fileURLWithPath: dir) }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../tests/data").standardized
}()

// The server example's archive holds TEK K2MFOsSDI43hdhaehh89zQ== (start 2649866, period 114).
private let keyHex = "2b63053ac483238de176169e861f3dcd"
private let keyStart: UInt32 = 2_649_866
private let now = Int64(keyStart) * 600 + 2 * 86400

private func hex(_ text: String) -> [UInt8] {
  var out: [UInt8] = []
  var index = text.startIndex
  while index < text.endIndex {
    let next = text.index(index, offsetBy: 2)
    out.append(UInt8(text[index..<next], radix: 16)!)
    index = next
  }
  return out
}

private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

private func read(_ name: String) throws -> String {
  try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8)
}

private var archive: String { data.appendingPathComponent("server-example-2-keys.zip").path }

private func serverKey() throws -> [PublicKey] {
  [PublicKey(name: "some_id-1", pem: try read("server-example-2-keys.public.pem"))]
}

private func expectError(
  _ code: String, _ messagePart: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) {
  do {
    try body()
    XCTFail("expected \(code) (\(messagePart)), nothing thrown", file: file, line: line)
  } catch let error as ExposureError {
    XCTAssertEqual(error.code, code, error.message, file: file, line: line)
    XCTAssertTrue(error.message.contains(messagePart), "message '\(error.message)' should mention \(messagePart)",
                  file: file, line: line)
  } catch {
    XCTFail("expected ExposureError \(code), got \(error)", file: file, line: line)
  }
}

final class ExposureRoundTests: XCTestCase {
  func testVersionAndOfficialVectors() throws {
    XCTAssertEqual(Exposure.abiVersion, 1)
    XCTAssertNotNil(Exposure.version.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression), Exposure.version)
    let lines = try read("test-vectors.txt").split(separator: "\n").map(String.init)
    let tek = hex(String(lines[0].dropFirst(4)))
    let metadata = hex(String(lines[3].dropFirst(9)))
    let start = UInt32(lines[4].dropFirst(15))!
    let first = lines[5].split(separator: " ").map(String.init)
    let beacon = try Beacon.derive(tek: tek, interval: start, metadata: metadata)
    XCTAssertEqual(hex(beacon.rpi), first[1], "official RPI")
    XCTAssertEqual(hex(beacon.aem), first[2], "official AEM")
    XCTAssertEqual(try beacon.decryptMetadata(tek: tek), metadata, "metadata decrypts")
    let m = try Metadata.decode(metadata)
    XCTAssertEqual(m.majorVersion, 1)
    XCTAssertEqual(m.txPowerDbm, 8)
    XCTAssertEqual(try m.encode(), metadata, "metadata encodes")
  }

  /// Generate keys and build an advertisement; returns the history to persist.
  private func advertise(_ now: Int64) throws -> [TemporaryExposureKey] {
    let metadata = Metadata(majorVersion: 1, minorVersion: 1, txPowerDbm: -12)
    let schedule = try KeySchedule(now: now, metadata: metadata)
    let key = try schedule.currentKey()
    XCTAssertEqual(key.rollingStartIntervalNumber % 144, 0, "today's key")
    XCTAssertEqual(key.rollingPeriod, 144)
    let ad = try schedule.currentAdvertisement()
    XCTAssertEqual(ad.interval, Exposure.intervalNumber(now), "advertised interval")
    XCTAssertEqual(ad.advertisingData.count, 31, "31-byte payload")
    let expected = try Beacon.derive(tek: key.keyData, interval: ad.interval, metadata: try metadata.encode())
    XCTAssertEqual(ad.beacon, expected, "advertised beacon is the key's RPI and AEM")
    XCTAssertEqual(try Beacon.parse(advertisingData: ad.advertisingData), expected, "payload parses back")
    XCTAssertEqual(try schedule.nextRotationUnixSeconds(), (Int64(ad.interval) + 1) * 600, "next rotation")
    XCTAssertTrue(try schedule.keysForUpload().isEmpty, "nothing to upload yet")
    try schedule.releaseCurrentKey()
    let released = TemporaryExposureKey(keyData: key.keyData, rollingStartIntervalNumber: key.rollingStartIntervalNumber,
                                        rollingPeriod: ad.interval - key.rollingStartIntervalNumber + 1)
    XCTAssertEqual(try schedule.keysForUpload(), [released], "released key is uploadable, shortened")
    return try schedule.history()
  }

  /// What a scanner hears from the diagnosed person: four scans five minutes apart at -47 dBm.
  private func scans() throws -> [Sighting] {
    let metadata = try Metadata(majorVersion: 1, minorVersion: 0, txPowerDbm: 8).encode()
    return try (0..<4).map { i in
      let time = (keyStart + 30) * 600 + 10 + 300 * UInt32(i)
      let sent = try Beacon.derive(tek: hex(keyHex), interval: Exposure.intervalNumber(Int64(time)), metadata: metadata)
      let heard = try Beacon.parse(advertisingData: try sent.advertisingData())
      return Sighting(beacon: heard, time: time, previousScanTime: time - 300, rssi: -47)
    }
  }

  private func recordAndReload(_ directory: String, _ history: [TemporaryExposureKey]) throws -> [Sighting] {
    let key = try Store.generateKey()
    XCTAssertEqual(key.count, 32, "32-byte storage key")
    let heard = try scans()
    defer {
      XCTAssertNoThrow(try Store.wipe(directory: directory))
      XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/store.db"), "store wiped")
    }
    do {
      let store = try Store(directory: directory, key: key, now: now)
      let report = try store.addSightings(heard)
      XCTAssertEqual(report.stored, 4, "4 sightings stored")
      XCTAssertEqual(report.expired, 0)
      try store.saveOwnKeys(history)
    }
    expectError("wrong key", "does not open this store") { _ = try Store(directory: directory, key: try Store.generateKey(), now: now) }
    let store = try Store(directory: directory, key: key, now: now)
    let loaded = try store.loadSightings()
    XCTAssertEqual(loaded.count, 4, "sightings reload")
    XCTAssertTrue(heard.allSatisfy(loaded.contains), "sightings reload")
    XCTAssertEqual(try store.loadOwnKeys(), history, "own keys reload")
    let stats = try store.stats()
    XCTAssertEqual(stats.sightings, 4)
    XCTAssertEqual(stats.days_covered, 1)
    XCTAssertEqual(Int(stats.own_keys), history.count)
    XCTAssertEqual(try Sighting.fromCsv(try Sighting.toCsv(loaded)), loaded, "CSV round trip")
    return loaded
  }

  private func matchAndScore(_ sightings: [Sighting]) throws {
    var request = MatchRequest()
    request.sightings = sightings
    request.exportPaths = [archive]
    request.publicKeys = try serverKey()
    request.nowUnixSeconds = now
    let result = try MatchResult(request)
    XCTAssertEqual(try result.matchedKeyCount(), 1, "one key matched")
    let json = try result.json()
    XCTAssertTrue(json.contains("\"key\": \"\(keyHex)\""), "matched key in JSON")
    XCTAssertTrue(json.contains("\"typical_attenuation_db\": 55"), "attenuation 55 dB")
    let v2 = try result.score(config: try read("sane-v2-config.json"), platform: "all")
    XCTAssertTrue(v2.contains("\"android\"") && v2.contains("\"ios\""), "both platforms scored")
    XCTAssertTrue(v2.contains("\"score_sum\": 1800.0"), "v2 score sum 1800")
    XCTAssertTrue(!v2.contains("no-notification") && v2.contains("\"verdict\": \"notify\""), "v2 notifies")
    let v1 = try result.score(config: try read("sane-v1-config.json"), platform: "android")
    XCTAssertTrue(v1.contains("\"verdict\": \"notify\"") && !v1.contains("\"ios\""), "v1 notifies on android")
    expectError("invalid argument", "platform 'windows'") {
      _ = try result.score(config: try read("sane-v1-config.json"), platform: "windows")
    }
    request.publicKeys = [PublicKey(name: "some_id-1", pem: try read("internals-sample-140-keys.public-310-v1.pem"))]
    expectError("verification failed", "some_id-1") { _ = try MatchResult(request) }
  }

  func testRoundThroughScheduleStoreAndMatch() throws {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("exposure-swift-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let history = try advertise(now)
    let sightings = try recordAndReload(work.appendingPathComponent("store").path, history)
    try matchAndScore(sightings)
  }

  func testArchiveVerifiesAndReads() throws {
    try ExportFile.verify(path: archive, keys: try serverKey())
    let wrongName = [PublicKey(name: "other-1", pem: try read("server-example-2-keys.public.pem"))]
    expectError("verification failed", "server-example-2-keys.zip") { try ExportFile.verify(path: archive, keys: wrongName) }
    let keys = try ExportFile.readKeys(path: archive)
    XCTAssertEqual(keys.count, 2, "2 keys in the archive")
    XCTAssertTrue(keys.contains {
      hex($0.keyData) == keyHex && $0.rollingPeriod == 114 && $0.transmissionRiskLevel == 1
        && $0.daysSinceOnsetOfSymptoms == nil
    }, "the contact's key is there")
  }

  func testLinter() throws {
    let report = try ConfigLinter.lint(config: try read("sane-v1-config.json"), exportPaths: [archive],
                                       publicKeys: try serverKey())
    XCTAssertTrue(report.contains("\"keys\": 2"), "linter read the archive's keys")
    XCTAssertTrue(report.contains("\"all_platforms_notify\": true"), "sane v1 configuration notifies everywhere")
  }

  func testNativeErrorsAreThrown() throws {
    expectError("malformed", "offset 0") { _ = try Beacon.parse(advertisingData: [5, 1]) }
    expectError("not found", "0xFD6F") { _ = try Beacon.parse(advertisingData: []) }
    expectError("invalid argument", "tek: expected 16 bytes, got 3") {
      _ = try Beacon.derive(tek: [0, 0, 0], interval: 1, metadata: [0, 0, 0, 0])
    }
    expectError("malformed", "line 2") { _ = try Sighting.fromCsv("rpi,aem,time,rssi\nzz,00,1,2\n") }
    expectError("invalid argument", "history[0]: rolling_period 0") {
      _ = try KeySchedule(history: [TemporaryExposureKey(keyData: [UInt8](repeating: 0, count: 16),
                                                          rollingStartIntervalNumber: 0, rollingPeriod: 0)])
    }
  }
}
