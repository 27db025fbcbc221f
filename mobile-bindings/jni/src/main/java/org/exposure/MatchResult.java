package org.exposure;

/** The keys that matched the device's sightings, ready to be reported or scored. */
public final class MatchResult extends NativeHandle {
  private MatchResult(long handle) {
    super(handle);
  }

  /** Matches with the platforms' exact filters; an archive that fails verification throws. */
  public static MatchResult match(MatchRequest r) {
    return new MatchResult(Native.match(Records.packSightings(r.sightings), Records.packDiagnosisKeys(r.keys),
        Utf8.encodeAll(r.exportPaths), PublicKey.names(r.publicKeys), PublicKey.keys(r.publicKeys), r.skipVerification,
        r.nowUnixSeconds, r.threads));
  }

  @Override
  void free(long handle) {
    Native.matchResultFree(handle);
  }

  public synchronized long matchedKeyCount() {
    return Native.matchResultMatchedKeyCount(handle());
  }

  /** The match as JSON (the object `exposure match` prints without --config). */
  public synchronized String json() {
    return Utf8.decode(Native.matchResultJson(handle()));
  }

  /**
   * Scores the match with a risk configuration (JSON) on "android", "ios" or "all": the object
   * `exposure match --config` prints, with "platforms.&lt;name&gt;.verdict".
   */
  public synchronized String score(String configJson, String platform) {
    return Utf8.decode(Native.matchResultScore(handle(), Utf8.encode(configJson), Utf8.encode(platform)));
  }
}
