// Export files, matching, scoring and the config linter; reports are JSON text.
import CExposure
import Foundation

public enum ExportFile {
  /// Throws ExposureError "verification failed" naming the key, "malformed", ...
  public static func verify(path: String, keys: [PublicKey]) throws {
    try withPublicKeys(keys) { c in try check(exposure_verify_export_file(path, c, c.count)) }
  }

  public static func readKeys(path: String) throws -> [DiagnosisKey] {
    var out: UnsafeMutablePointer<exposure_diagnosis_key>?
    var count = 0
    try check(exposure_read_export_file(path, &out, &count))
    defer { exposure_free_diagnosis_keys(out) }
    return (0..<count).map { DiagnosisKey(out![$0]) }
  }
}

public struct MatchRequest {
  public var sightings: [Sighting] = []
  public var keys: [DiagnosisKey] = []
  public var exportPaths: [String] = []
  public var publicKeys: [PublicKey] = []
  public var skipVerification = false
  public var nowUnixSeconds: Int64 = 0
  public var threads: UInt32 = 1
  public init() {}
}

/// The keys that matched; json() reports them, score(config:platform:) scores them.
public final class MatchResult {
  private let handle: OpaquePointer

  public init(_ r: MatchRequest) throws {
    let sightings = r.sightings.map { $0.c }
    let keys = r.keys.map { $0.c }
    var out: OpaquePointer?
    try withCStrings(r.exportPaths) { paths in
      try withPublicKeys(r.publicKeys) { publicKeys in
        var request = exposure_match_request()
        exposure_match_request_init(&request)
        try sightings.withUnsafeBufferPointer { s in
          try keys.withUnsafeBufferPointer { k in
            try paths.withUnsafeBufferPointer { p in
              try publicKeys.withUnsafeBufferPointer { pk in
                request.sightings = s.baseAddress
                request.sighting_count = s.count
                request.keys = k.baseAddress
                request.key_count = k.count
                request.export_paths = p.baseAddress
                request.export_path_count = p.count
                request.public_keys = pk.baseAddress
                request.public_key_count = pk.count
                request.skip_verification = r.skipVerification ? 1 : 0
                request.now_unix_seconds = r.nowUnixSeconds
                request.threads = r.threads
                try check(exposure_match(&request, &out))
              }
            }
          }
        }
      }
    }
    handle = out!
  }

  deinit { exposure_match_result_free(handle) }

  public func matchedKeyCount() throws -> UInt64 {
    var count: UInt64 = 0
    try check(exposure_match_result_matched_key_count(handle, &count))
    return count
  }

  /// The object `exposure match` prints without --config, as JSON text.
  public func json() throws -> String {
    var text: UnsafeMutablePointer<CChar>?
    try check(exposure_match_result_json(handle, &text))
    defer { exposure_free_string(text) }
    return String(cString: text!)
  }

  /// Scores with a risk configuration (JSON) on "android", "ios" or "all".
  public func score(config: String, platform: String = "all") throws -> String {
    var text: UnsafeMutablePointer<CChar>?
    try config.withCString {
      try check(exposure_match_result_score(handle, $0, config.utf8.count, platform, &text))
    }
    defer { exposure_free_string(text) }
    return String(cString: text!)
  }
}

public enum ConfigLinter {
  /// The report `exposure lint-config` prints (JSON text) for the metadata of `exportPaths`' keys.
  public static func lint(config: String, exportPaths: [String], publicKeys: [PublicKey], platform: String = "all")
    throws -> String
  {
    var text: UnsafeMutablePointer<CChar>?
    try withCStrings(exportPaths + [config, platform]) { strings in
      try withPublicKeys(publicKeys) { keys in
        try strings.withUnsafeBufferPointer { s in
          try keys.withUnsafeBufferPointer { k in
            var request = exposure_lint_request()
            exposure_lint_request_init(&request)
            request.config_json = s[exportPaths.count]
            request.config_length = config.utf8.count
            request.export_paths = s.baseAddress
            request.export_path_count = exportPaths.count
            request.public_keys = k.baseAddress
            request.public_key_count = k.count
            request.platform = s[exportPaths.count + 1]
            try check(exposure_lint_config(&request, &text))
          }
        }
      }
    }
    defer { exposure_free_string(text) }
    return String(cString: text!)
  }
}
