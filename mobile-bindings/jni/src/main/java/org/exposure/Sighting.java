package org.exposure;

import java.util.List;

/** One received advertisement as the scanner records it. */
public final class Sighting {
  private final Beacon beacon;
  private final long time;
  private final long previousScanTime;
  private final int rssi;

  /**
   * @param time unix seconds of reception (0..2^32-1)
   * @param previousScanTime unix seconds of the previous scan, 0 when unknown
   * @param rssi calibrated RSSI in dBm (-127..126)
   */
  public Sighting(Beacon beacon, long time, long previousScanTime, int rssi) {
    this.beacon = beacon;
    this.time = time;
    this.previousScanTime = previousScanTime;
    this.rssi = rssi;
  }

  public Beacon beacon() {
    return beacon;
  }

  public long time() {
    return time;
  }

  public long previousScanTime() {
    return previousScanTime;
  }

  public int rssi() {
    return rssi;
  }

  /** Parses sightings CSV (rpi,aem,time,rssi[,previous_scan_time]). */
  public static List<Sighting> fromCsv(String csv) {
    return Records.unpackSightings(Native.sightingsFromCsv(Utf8.encode(csv)));
  }

  /** Reads a sightings CSV file. */
  public static List<Sighting> fromCsvFile(String path) {
    return Records.unpackSightings(Native.sightingsFromCsvFile(Utf8.encode(path)));
  }

  /** Writes sightings as CSV, header included. */
  public static String toCsv(List<Sighting> sightings) {
    return Utf8.decode(Native.sightingsToCsv(Records.packSightings(sightings)));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Sighting)) return false;
    Sighting s = (Sighting) o;
    return beacon.equals(s.beacon) && time == s.time && previousScanTime == s.previousScanTime && rssi == s.rssi;
  }

  @Override
  public int hashCode() {
    return beacon.hashCode() * 31 + Long.hashCode(time);
  }
}
