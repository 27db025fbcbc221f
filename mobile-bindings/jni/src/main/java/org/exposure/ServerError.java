package org.exposure;

/** How a server refused a request of an {@link Exchange}: its HTTP status and error code. */
public final class ServerError {
  private final int httpStatus;
  private final String code;

  /** Called by the JNI glue. */
  ServerError(int httpStatus, byte[] code) {
    this.httpStatus = httpStatus;
    this.code = Utf8.decode(code);
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The server's error code (e.g. "code_not_found", "token_expired"); empty when it sent none. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "HTTP " + httpStatus + (code.isEmpty() ? "" : " " + code);
  }
}
