package org.exposure;

/** Library-wide facts and the time base. */
public final class Exposure {
  private Exposure() {}

  /** The native library's version, e.g. "0.1.0". */
  public static String version() {
    return Utf8.decode(Native.version());
  }

  /** The C ABI version the native library implements (EXPOSURE_ABI_VERSION). */
  public static int abiVersion() {
    return Native.abiVersion();
  }

  /** The 10-minute interval number of a unix time. */
  public static int intervalNumber(long unixSeconds) {
    return Native.intervalNumber(unixSeconds);
  }
}
