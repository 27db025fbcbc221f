package org.exposure;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link Exchange#upload}; null texts take the library's defaults. */
public final class UploadOptions {
  /** GOOGLE: code, /api/verify, /api/certificate, /v1/publish. COCOA: PUT /api/v3/diagnosis. */
  public enum Flow {
    GOOGLE,
    COCOA
  }

  public Flow flow = Flow.GOOGLE;
  /** The verification code from the health authority, or the COCOA processing number (required). */
  public String code;
  /** healthAuthorityID (Google) / appPackageName (COCOA); null: "com.example.app". */
  public String appId;
  /** COCOA: the regions the keys are for (at least one). */
  public List<String> regions = new ArrayList<>();
  /** COCOA platform field; null: "android". */
  public String platform;
  /** COCOA onsetOfSymptomOrTestDate (RFC 3339, e.g. "2026-03-09T00:00:00Z"); null: none. */
  public String onsetDate;
  /** 0..8 sent with every key; 0: the server sets it from the report type. */
  public int transmissionRisk = 0;
  /** Unix seconds recorded with the upload; 0 = the system clock. */
  public long nowUnixSeconds = 0;
}
