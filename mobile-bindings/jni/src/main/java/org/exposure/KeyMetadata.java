package org.exposure;

/** The metadata of a published key that risk scoring reads (for the config linter). */
public final class KeyMetadata {
  private final int transmissionRiskLevel;
  private final int reportType;
  private final Integer daysSinceOnset;

  public KeyMetadata(int transmissionRiskLevel, int reportType, Integer daysSinceOnset) {
    this.transmissionRiskLevel = transmissionRiskLevel;
    this.reportType = reportType;
    this.daysSinceOnset = daysSinceOnset;
  }

  public int transmissionRiskLevel() {
    return transmissionRiskLevel;
  }

  public int reportType() {
    return reportType;
  }

  public Integer daysSinceOnset() {
    return daysSinceOnset;
  }
}
