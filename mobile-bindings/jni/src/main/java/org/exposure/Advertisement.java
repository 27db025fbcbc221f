package org.exposure;

/** What to broadcast during one interval. */
public final class Advertisement {
  private final int interval;
  private final Beacon beacon;
  private final byte[] advertisingData;

  Advertisement(int interval, Beacon beacon, byte[] advertisingData) {
    this.interval = interval;
    this.beacon = beacon;
    this.advertisingData = advertisingData;
  }

  public int interval() {
    return interval;
  }

  public Beacon beacon() {
    return beacon;
  }

  /** The 31-byte legacy advertising payload. */
  public byte[] advertisingData() {
    return advertisingData.clone();
  }
}
