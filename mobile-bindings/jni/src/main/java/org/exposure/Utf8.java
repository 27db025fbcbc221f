package org.exposure;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Strings cross the JNI boundary as UTF-8 bytes (not JNI's modified UTF-8). */
final class Utf8 {
  private Utf8() {}

  static byte[] encode(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[][] encodeAll(List<String> texts) {
    byte[][] out = new byte[texts.size()][];
    for (int i = 0; i < out.length; ++i) out[i] = encode(texts.get(i));
    return out;
  }

  static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
