package org.exposure;

/** The library's status codes, in the order (and with the numbers) of exposure.h. */
public enum ErrorCode {
  OK,
  INVALID_ARGUMENT,
  MALFORMED,
  VERIFICATION_FAILED,
  NOT_FOUND,
  ALREADY_EXISTS,
  IO_ERROR,
  CORRUPT,
  WRONG_KEY,
  UNSUPPORTED,
  RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION,
  INTERNAL,
  /** A server refused the request (HTTP 4xx): do not repeat it. */
  REJECTED,
  /** No reply, or the server failed or is busy: try later. */
  UNAVAILABLE;

  /** The code with number {@code value}; INTERNAL for a number this version does not know. */
  public static ErrorCode of(int value) {
    ErrorCode[] all = values();
    return value >= 0 && value < all.length ? all[value] : INTERNAL;
  }
}
