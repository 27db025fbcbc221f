package org.exposure;

import java.util.Arrays;

/** What one advertisement carries: a Rolling Proximity Identifier and its encrypted metadata. */
public final class Beacon {
  private final byte[] rpi;
  private final byte[] aem;

  public Beacon(byte[] rpi, byte[] aem) {
    if (rpi == null || rpi.length != 16) throw new IllegalArgumentException("rpi must be 16 bytes");
    if (aem == null || aem.length != 4) throw new IllegalArgumentException("aem must be 4 bytes");
    this.rpi = rpi.clone();
    this.aem = aem.clone();
  }

  static Beacon fromBytes(byte[] twenty) {
    return new Beacon(Arrays.copyOfRange(twenty, 0, 16), Arrays.copyOfRange(twenty, 16, 20));
  }

  byte[] toBytes() {
    byte[] out = Arrays.copyOf(rpi, 20);
    System.arraycopy(aem, 0, out, 16, 4);
    return out;
  }

  /** The RPI of {@code tek} for {@code interval} and its AEM over {@code metadata} (4 bytes). */
  public static Beacon derive(byte[] tek, int interval, byte[] metadata) {
    return fromBytes(Native.deriveBeacon(tek, interval, metadata));
  }

  /** Parses received advertising data; throws NOT_FOUND for another kind of advertisement. */
  public static Beacon parseAdvertisingData(byte[] data) {
    return fromBytes(Native.parseAdvertisingData(data));
  }

  /** The 31-byte legacy advertising payload carrying this beacon. */
  public byte[] advertisingData() {
    return Native.buildAdvertisingData(toBytes());
  }

  /** The 4 metadata bytes, decrypted with the key that produced this beacon. */
  public byte[] decryptMetadata(byte[] tek) {
    return Native.decryptMetadata(tek, toBytes());
  }

  public byte[] rpi() {
    return rpi.clone();
  }

  public byte[] aem() {
    return aem.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Beacon && Arrays.equals(rpi, ((Beacon) o).rpi) && Arrays.equals(aem, ((Beacon) o).aem);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rpi);
  }
}
