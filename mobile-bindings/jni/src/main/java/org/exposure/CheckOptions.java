package org.exposure;

import java.util.ArrayList;
import java.util.List;

/** Options of {@link Exchange#check}; null texts take the library's defaults. */
public final class CheckOptions {
  /** The region whose index is read, e.g. "JP" (required). */
  public String region;
  /** Where the export tree is on the server; null: "/exports". */
  public String exportPath;
  /** Read &lt;region&gt;/list.json instead of &lt;region&gt;/index.txt. */
  public boolean useListJson = false;
  /** The export signer's keys (at least one); each archive must verify against one. */
  public List<PublicKey> publicKeys = new ArrayList<>();
  /** The risk configuration, JSON (required; docs/risk.md). */
  public String configJson;
  /** "android" (null) or "ios": how to score. */
  public String platform;
  /** Unix seconds taken as now; 0 = the system clock. */
  public long nowUnixSeconds = 0;
  /** Matching threads, 1..256. */
  public int threads = 1;
}
