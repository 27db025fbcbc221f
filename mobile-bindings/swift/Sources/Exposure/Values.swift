// Value types mirroring the C ABI's structs: keys, metadata, beacons, sightings, diagnosis keys
// and public keys, plus the library-wide facts.
import CExposure
import Foundation

public enum Exposure {
  public static var version: String { String(cString: exposure_version()) }
  public static var abiVersion: UInt32 { exposure_abi_version() }
  public static func intervalNumber(_ unixSeconds: Int64) -> UInt32 { exposure_interval_number(unixSeconds) }
}

public struct TemporaryExposureKey: Equatable {
  public var keyData: [UInt8]
  public var rollingStartIntervalNumber: UInt32
  public var rollingPeriod: UInt32

  public init(keyData: [UInt8], rollingStartIntervalNumber: UInt32, rollingPeriod: UInt32 = 144) {
    self.keyData = keyData
    self.rollingStartIntervalNumber = rollingStartIntervalNumber
    self.rollingPeriod = rollingPeriod
  }

  init(_ c: exposure_tek) {
    self.init(keyData: bytes(of: c.key_data), rollingStartIntervalNumber: c.rolling_start_interval_number,
              rollingPeriod: c.rolling_period)
  }

  var c: exposure_tek {
    var out = exposure_tek()
    fill(&out.key_data, from: keyData)
    out.rolling_start_interval_number = rollingStartIntervalNumber
    out.rolling_period = rollingPeriod
    return out
  }

  // Takes (wipes and frees) an array the library returned.
  static func take(_ keys: UnsafeMutablePointer<exposure_tek>?, _ count: Int) -> [TemporaryExposureKey] {
    defer { exposure_free_teks(keys, count) }
    return (0..<count).map { TemporaryExposureKey(keys![$0]) }
  }
}

public struct Metadata: Equatable {
  public var majorVersion: UInt8 = 1
  public var minorVersion: UInt8 = 0
  public var calibrationConfidence: UInt8 = 0
  public var txPowerDbm: Int8 = 0

  public init(majorVersion: UInt8 = 1, minorVersion: UInt8 = 0, calibrationConfidence: UInt8 = 0, txPowerDbm: Int8 = 0) {
    self.majorVersion = majorVersion
    self.minorVersion = minorVersion
    self.calibrationConfidence = calibrationConfidence
    self.txPowerDbm = txPowerDbm
  }

  var c: exposure_metadata {
    exposure_metadata(major_version: majorVersion, minor_version: minorVersion,
                      calibration_confidence: calibrationConfidence, tx_power_dbm: txPowerDbm)
  }

  public func encode() throws -> [UInt8] {
    var metadata = c
    var out = [UInt8](repeating: 0, count: Int(EXPOSURE_METADATA_LENGTH))
    try check(exposure_encode_metadata(&metadata, &out))
    return out
  }

  public static func decode(_ data: [UInt8]) throws -> Metadata {
    var m = exposure_metadata()
    try check(exposure_decode_metadata(data, data.count, &m))
    return Metadata(majorVersion: m.major_version, minorVersion: m.minor_version,
                    calibrationConfidence: m.calibration_confidence, txPowerDbm: m.tx_power_dbm)
  }
}

/// What one advertisement carries: an RPI and its encrypted metadata.
public struct Beacon: Equatable {
  public var rpi: [UInt8]
  public var aem: [UInt8]

  public init(rpi: [UInt8], aem: [UInt8]) {
    self.rpi = rpi
    self.aem = aem
  }

  init(_ c: exposure_beacon) { self.init(rpi: bytes(of: c.rpi), aem: bytes(of: c.aem)) }

  var c: exposure_beacon {
    var out = exposure_beacon()
    fill(&out.rpi, from: rpi)
    fill(&out.aem, from: aem)
    return out
  }

  public static func derive(tek: [UInt8], interval: UInt32, metadata: [UInt8]) throws -> Beacon {
    var out = exposure_beacon()
    try check(exposure_derive_beacon(tek, tek.count, interval, metadata, metadata.count, &out))
    return Beacon(out)
  }

  /// Throws ExposureError "not found" for another kind of advertisement.
  public static func parse(advertisingData data: [UInt8]) throws -> Beacon {
    var out = exposure_beacon()
    try check(exposure_parse_advertising_data(data, data.count, &out))
    return Beacon(out)
  }

  public func advertisingData() throws -> [UInt8] {
    var beacon = c
    var out = [UInt8](repeating: 0, count: Int(EXPOSURE_ADVERTISING_DATA_LENGTH))
    try check(exposure_build_advertising_data(&beacon, &out))
    return out
  }

  public func decryptMetadata(tek: [UInt8]) throws -> [UInt8] {
    var beacon = c
    var out = [UInt8](repeating: 0, count: Int(EXPOSURE_METADATA_LENGTH))
    try check(exposure_decrypt_metadata(tek, tek.count, &beacon, &out))
    return out
  }
}

public struct Advertisement {
  public let interval: UInt32
  public let beacon: Beacon
  public let advertisingData: [UInt8]
}

public struct Sighting: Equatable {
  public var beacon: Beacon
  public var time: UInt32
  public var previousScanTime: UInt32
  public var rssi: Int8

  public init(beacon: Beacon, time: UInt32, previousScanTime: UInt32 = 0, rssi: Int8) {
    self.beacon = beacon
    self.time = time
    self.previousScanTime = previousScanTime
    self.rssi = rssi
  }

  init(_ c: exposure_sighting) {
    self.init(beacon: Beacon(c.beacon), time: c.time, previousScanTime: c.previous_scan_time, rssi: c.rssi)
  }

  var c: exposure_sighting {
    exposure_sighting(beacon: beacon.c, time: time, previous_scan_time: previousScanTime, rssi: rssi)
  }

  static func take(_ sightings: UnsafeMutablePointer<exposure_sighting>?, _ count: Int) -> [Sighting] {
    defer { exposure_free_sightings(sightings) }
    return (0..<count).map { Sighting(sightings![$0]) }
  }

  public static func fromCsv(_ text: String) throws -> [Sighting] {
    var out: UnsafeMutablePointer<exposure_sighting>?
    var count = 0
    try text.withCString { try check(exposure_sightings_from_csv($0, text.utf8.count, &out, &count)) }
    return take(out, count)
  }

  public static func toCsv(_ sightings: [Sighting]) throws -> String {
    let c = sightings.map { $0.c }
    var text: UnsafeMutablePointer<CChar>?
    try check(exposure_sightings_to_csv(c, c.count, &text))
    defer { exposure_free_string(text) }
    return String(cString: text!)
  }
}

public struct DiagnosisKey: Equatable {
  public var keyData: [UInt8]
  public var rollingStartIntervalNumber: UInt32
  public var rollingPeriod: UInt32
  public var transmissionRiskLevel: Int32
  public var reportType: Int32
  public var daysSinceOnsetOfSymptoms: Int32?

  init(_ c: exposure_diagnosis_key) {
    keyData = bytes(of: c.key_data)
    rollingStartIntervalNumber = c.rolling_start_interval_number
    rollingPeriod = c.rolling_period
    transmissionRiskLevel = c.transmission_risk_level
    reportType = c.report_type
    daysSinceOnsetOfSymptoms = c.has_days_since_onset != 0 ? c.days_since_onset_of_symptoms : nil
  }

  var c: exposure_diagnosis_key {
    var out = exposure_diagnosis_key()
    fill(&out.key_data, from: keyData)
    out.rolling_start_interval_number = rollingStartIntervalNumber
    out.rolling_period = rollingPeriod
    out.transmission_risk_level = transmissionRiskLevel
    out.report_type = reportType
    out.has_days_since_onset = daysSinceOnsetOfSymptoms == nil ? 0 : 1
    out.days_since_onset_of_symptoms = daysSinceOnsetOfSymptoms ?? 0
    return out
  }
}

/// A key that signs export files, named "<key id>-<key version>"; each is its own cosign set.
public struct PublicKey {
  public var name: String
  public var key: [UInt8]  // PEM text, base64 or DER
  public init(name: String, pem: String) {
    self.name = name
    self.key = Array(pem.utf8)
  }
}
