package org.exposure;

import java.util.Arrays;

/** One of the device's own keys (secret: keep it in the encrypted store). */
public final class TemporaryExposureKey {
  private final byte[] keyData;
  private final int rollingStartIntervalNumber;
  private final int rollingPeriod;

  public TemporaryExposureKey(byte[] keyData, int rollingStartIntervalNumber, int rollingPeriod) {
    if (keyData == null || keyData.length != 16) throw new IllegalArgumentException("keyData must be 16 bytes");
    this.keyData = keyData.clone();
    this.rollingStartIntervalNumber = rollingStartIntervalNumber;
    this.rollingPeriod = rollingPeriod;
  }

  public byte[] keyData() {
    return keyData.clone();
  }

  public int rollingStartIntervalNumber() {
    return rollingStartIntervalNumber;
  }

  public int rollingPeriod() {
    return rollingPeriod;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TemporaryExposureKey)) return false;
    TemporaryExposureKey k = (TemporaryExposureKey) o;
    return Arrays.equals(keyData, k.keyData) && rollingStartIntervalNumber == k.rollingStartIntervalNumber
        && rollingPeriod == k.rollingPeriod;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keyData) * 31 + rollingStartIntervalNumber;
  }
}
