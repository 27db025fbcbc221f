// The advertiser's key schedule and the encrypted device store (classes owning native handles).
import CExposure
import Foundation

/// The advertiser's key schedule; persist history() after every call that may change it.
public final class KeySchedule {
  private let handle: OpaquePointer

  public init(history: [TemporaryExposureKey] = [], now: Int64 = 0, metadata: Metadata = Metadata(minorVersion: 1),
              historyDays: UInt32 = 14, maxKeysPerStart: UInt32 = 3) throws {
    var options = exposure_key_schedule_options()
    exposure_key_schedule_options_init(&options)
    options.now_unix_seconds = now
    options.metadata = metadata.c
    options.history_days = historyDays
    options.max_keys_per_start = maxKeysPerStart
    var c = history.map { $0.c }
    defer { c.withUnsafeMutableBytes { exposure_wipe($0.baseAddress, $0.count) } }
    var out: OpaquePointer?
    try check(exposure_key_schedule_new(c, c.count, &options, &out))
    handle = out!
  }

  deinit { exposure_key_schedule_free(handle) }

  public func setTime(_ now: Int64) throws { try check(exposure_key_schedule_set_time(handle, now)) }

  public func currentKey() throws -> TemporaryExposureKey {
    var key = exposure_tek()
    try check(exposure_key_schedule_current_key(handle, &key))
    return TemporaryExposureKey(key)
  }

  public func currentAdvertisement() throws -> Advertisement {
    var ad = exposure_advertisement()
    try check(exposure_key_schedule_current_advertisement(handle, &ad))
    return Advertisement(interval: ad.interval, beacon: Beacon(ad.beacon), advertisingData: bytes(of: ad.advertising_data))
  }

  public func nextRotationUnixSeconds() throws -> Int64 {
    var rotation: Int64 = 0
    try check(exposure_key_schedule_next_rotation(handle, &rotation))
    return rotation
  }

  public func history() throws -> [TemporaryExposureKey] {
    var out: UnsafeMutablePointer<exposure_tek>?
    var count = 0
    try check(exposure_key_schedule_history(handle, &out, &count))
    return TemporaryExposureKey.take(out, count)
  }

  public func keysForUpload() throws -> [TemporaryExposureKey] {
    var out: UnsafeMutablePointer<exposure_tek>?
    var count = 0
    try check(exposure_key_schedule_keys_for_upload(handle, &out, &count))
    return TemporaryExposureKey.take(out, count)
  }

  public func releaseCurrentKey() throws { try check(exposure_key_schedule_release_current_key(handle)) }
}

/// The encrypted device store, opened with the host's 32-byte key (from the Keychain).
public final class Store {
  let handle: OpaquePointer  // used by Exchange

  public init(directory: String, key: [UInt8], now: Int64 = 0, retentionDays: UInt32 = 14,
              createIfMissing: Bool = true) throws {
    var options = exposure_store_options()
    exposure_store_options_init(&options)
    options.now_unix_seconds = now
    options.retention_days = retentionDays
    options.create_if_missing = createIfMissing ? 1 : 0
    var out: OpaquePointer?
    try check(exposure_store_open(directory, key, key.count, &options, &out))
    handle = out!
  }

  deinit { exposure_store_close(handle) }

  public static func generateKey() throws -> [UInt8] {
    var key = [UInt8](repeating: 0, count: Int(EXPOSURE_STORAGE_KEY_LENGTH))
    try check(exposure_generate_storage_key(&key, key.count))
    return key
  }

  public static func wipe(directory: String) throws { try check(exposure_store_wipe(directory)) }

  public func setTime(_ now: Int64) throws { try check(exposure_store_set_time(handle, now)) }

  @discardableResult
  public func addSightings(_ sightings: [Sighting]) throws -> (stored: UInt64, expired: UInt64) {
    let c = sightings.map { $0.c }
    var report = exposure_ingest_report()
    try check(exposure_store_add_sightings(handle, c, c.count, &report))
    return (report.stored, report.expired)
  }

  public func loadSightings() throws -> [Sighting] {
    var out: UnsafeMutablePointer<exposure_sighting>?
    var count = 0
    try check(exposure_store_load_sightings(handle, &out, &count))
    return Sighting.take(out, count)
  }

  public func saveOwnKeys(_ keys: [TemporaryExposureKey]) throws {
    var c = keys.map { $0.c }
    defer { c.withUnsafeMutableBytes { exposure_wipe($0.baseAddress, $0.count) } }
    try check(exposure_store_save_own_keys(handle, c, c.count))
  }

  public func loadOwnKeys() throws -> [TemporaryExposureKey] {
    var out: UnsafeMutablePointer<exposure_tek>?
    var count = 0
    try check(exposure_store_load_own_keys(handle, &out, &count))
    return TemporaryExposureKey.take(out, count)
  }

  public func stats() throws -> exposure_store_stats {
    var stats = exposure_store_stats()
    try check(exposure_store_stats_get(handle, &stats))
    return stats
  }
}
