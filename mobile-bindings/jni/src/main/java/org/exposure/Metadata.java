package org.exposure;

/** The Bluetooth metadata encrypted into the AEM: versions, TX power, calibration confidence. */
public final class Metadata {
  private final int majorVersion;
  private final int minorVersion;
  private final int calibrationConfidence;
  private final int txPowerDbm;

  public Metadata(int majorVersion, int minorVersion, int calibrationConfidence, int txPowerDbm) {
    this.majorVersion = majorVersion;
    this.minorVersion = minorVersion;
    this.calibrationConfidence = calibrationConfidence;
    this.txPowerDbm = txPowerDbm;
  }

  /** The 4 bytes (versions and confidence masked to 2 bits). */
  public byte[] encode() {
    return Native.encodeMetadata(majorVersion, minorVersion, calibrationConfidence, txPowerDbm);
  }

  public static Metadata decode(byte[] bytes) {
    int[] m = Native.decodeMetadata(bytes);
    return new Metadata(m[0], m[1], m[2], m[3]);
  }

  public int majorVersion() {
    return majorVersion;
  }

  public int minorVersion() {
    return minorVersion;
  }

  public int calibrationConfidence() {
    return calibrationConfidence;
  }

  public int txPowerDbm() {
    return txPowerDbm;
  }
}
