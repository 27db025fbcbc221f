package org.exposure;

import java.util.ArrayList;
import java.util.List;

/** What to match: the device's sightings against keys in memory and/or export files. */
public final class MatchRequest {
  public List<Sighting> sightings = new ArrayList<>();
  /** Keys in memory, matched before the files. */
  public List<DiagnosisKey> keys = new ArrayList<>();
  /** Export archives; each must verify against one of publicKeys. */
  public List<String> exportPaths = new ArrayList<>();
  public List<PublicKey> publicKeys = new ArrayList<>();
  /** No signature check (bare export.bin files allowed): research use only. */
  public boolean skipVerification = false;
  /** Unix seconds taken as now; 0 = the system clock. */
  public long nowUnixSeconds = 0;
  /** Worker threads, 1..256. */
  public int threads = 1;
}
