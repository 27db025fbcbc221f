// Errors and the conversions the wrapper shares: library errors thrown as ExposureError, C
// tuples and strings. The wrapper has the Java binding's shape (org.exposure); README.md says
// what is tested.
import CExposure
import Foundation

/// A failure reported by the native library: its status and its one-line message.
public struct ExposureError: Error, CustomStringConvertible {
  /// The library's statuses (exposure.h's exposure_status), for `switch error.kind`.
  public enum Kind: UInt32 {
    case invalidArgument = 1, malformed, verificationFailed, notFound, alreadyExists, ioError, corrupt,
      wrongKey, unsupported, resourceExhausted, failedPrecondition, internalError
    /// A server refused an exchange's request (HTTP 4xx): do not repeat it; `server` says why.
    case rejected = 13
    /// No reply, or the server failed or is busy (429, 5xx): try the exchange again later.
    case unavailable = 14
  }

  public let status: UInt32
  public let code: String
  public let message: String
  /// The server's refusal that ended an Exchange (Exchange.receive), else nil.
  public var server: ServerError? = nil
  /// nil only for a status newer than this wrapper.
  public var kind: Kind? { Kind(rawValue: status) }
  public var description: String { "\(code): \(message)" }
}

/// How a server refused a request of an Exchange: its HTTP status and error code.
public struct ServerError: Equatable {
  public let httpStatus: Int
  /// The server's error code (e.g. "code_not_found"); empty when it sent none.
  public let code: String
  public let message: String
}

@inline(__always)
func check(_ status: exposure_status) throws {
  if status != EXPOSURE_OK {
    throw ExposureError(status: status.rawValue, code: String(cString: exposure_status_name(status)),
                        message: String(cString: exposure_last_error()))
  }
}

// Fixed-size C arrays arrive as tuples.
func bytes<T>(of tuple: T) -> [UInt8] {
  var copy = tuple
  return withUnsafeBytes(of: &copy) { Array($0) }
}

func fill<T>(_ tuple: inout T, from data: [UInt8]) {
  withUnsafeMutableBytes(of: &tuple) { buffer in
    precondition(buffer.count == data.count, "expected \(buffer.count) bytes, got \(data.count)")
    buffer.copyBytes(from: data)
  }
}

// C strings for the duration of `body`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
  let copies = strings.map { strdup($0) }
  defer { copies.forEach { free($0) } }
  return try body(copies.map { UnsafePointer($0) })
}

// C structs for `keys`, valid during `body`.
func withPublicKeys<R>(_ keys: [PublicKey], _ body: ([exposure_public_key]) throws -> R) rethrows -> R {
  let buffers = keys.map { key -> UnsafeMutableBufferPointer<UInt8> in
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(key.key.count, 1))
    _ = buffer.initialize(from: key.key)
    return buffer
  }
  defer { buffers.forEach { $0.deallocate() } }
  return try withCStrings(keys.map { $0.name }) { names in
    try body((0..<keys.count).map {
      exposure_public_key(name: names[$0], key: UnsafePointer(buffers[$0].baseAddress), key_length: keys[$0].key.count)
    })
  }
}

// Takes (and frees) a string the library returned.
func takeString(_ text: UnsafeMutablePointer<CChar>?) -> String {
  defer { exposure_free_string(text) }
  return String(cString: text!)
}
