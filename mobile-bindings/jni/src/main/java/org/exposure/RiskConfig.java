package org.exposure;

/** Risk-scoring configurations (JSON with the platform APIs' field names, docs/risk.md). */
public final class RiskConfig {
  private RiskConfig() {}

  /** Throws INVALID_ARGUMENT / MALFORMED naming the field when the configuration is not valid. */
  public static void check(String configJson) {
    Native.checkRiskConfig(Utf8.encode(configJson));
  }
}
