package org.exposure;

/** A failure reported by the native library: its code and its one-line message. */
public final class ExposureException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /** Called by the JNI glue with the native status and message. */
  ExposureException(int code, String message) {
    super(message);
    this.code = ErrorCode.of(code);
  }

  public ErrorCode code() {
    return code;
  }
}
