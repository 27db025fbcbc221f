package org.exposure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request an {@link Exchange} wants sent; the app sends it with its own HTTP client. */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final byte[] body;

  private HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.headers = Collections.unmodifiableMap(headers);
    this.body = body;
  }

  /** From the glue's {method, path, body, name0, value0, ...}. */
  static HttpRequest fromParts(byte[][] parts) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 3; i + 1 < parts.length; i += 2) headers.put(Utf8.decode(parts[i]), Utf8.decode(parts[i + 1]));
    return new HttpRequest(Utf8.decode(parts[0]), Utf8.decode(parts[1]), headers, parts[2]);
  }

  /** "GET", "POST" or "PUT". */
  public String method() {
    return method;
  }

  /** A path on the app's server ("/api/verify"), or an absolute URL (archives named by list.json). */
  public String path() {
    return path;
  }

  /** The headers to send (Content-Type for bodies, X-Chaff for chaff); unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** JSON for POST and PUT, empty for GET. */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
