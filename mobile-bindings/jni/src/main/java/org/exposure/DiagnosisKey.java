package org.exposure;

import java.util.Arrays;

/** A published diagnosis key (public data). */
public final class DiagnosisKey {
  private final byte[] keyData;
  private final int rollingStartIntervalNumber;
  private final int rollingPeriod;
  private final int transmissionRiskLevel;
  private final int reportType;
  private final Integer daysSinceOnsetOfSymptoms;

  /**
   * @param reportType 0 unknown, 1 confirmed test, 2 clinical diagnosis, 3 self report,
   *     4 recursive, 5 revoked
   * @param daysSinceOnsetOfSymptoms -14..14, or null when unknown
   */
  public DiagnosisKey(byte[] keyData, int rollingStartIntervalNumber, int rollingPeriod, int transmissionRiskLevel,
      int reportType, Integer daysSinceOnsetOfSymptoms) {
    if (keyData == null || keyData.length != 16) throw new IllegalArgumentException("keyData must be 16 bytes");
    this.keyData = keyData.clone();
    this.rollingStartIntervalNumber = rollingStartIntervalNumber;
    this.rollingPeriod = rollingPeriod;
    this.transmissionRiskLevel = transmissionRiskLevel;
    this.reportType = reportType;
    this.daysSinceOnsetOfSymptoms = daysSinceOnsetOfSymptoms;
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

  public int transmissionRiskLevel() {
    return transmissionRiskLevel;
  }

  public int reportType() {
    return reportType;
  }

  public Integer daysSinceOnsetOfSymptoms() {
    return daysSinceOnsetOfSymptoms;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DiagnosisKey)) return false;
    DiagnosisKey k = (DiagnosisKey) o;
    return Arrays.equals(keyData, k.keyData) && rollingStartIntervalNumber == k.rollingStartIntervalNumber
        && rollingPeriod == k.rollingPeriod && transmissionRiskLevel == k.transmissionRiskLevel
        && reportType == k.reportType && java.util.Objects.equals(daysSinceOnsetOfSymptoms, k.daysSinceOnsetOfSymptoms);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keyData);
  }
}
