package org.exposure;

import java.util.ArrayList;
import java.util.List;

/** Can a reference contact reach a configuration's threshold on each platform? */
public final class ConfigLinter {
  /** The configuration, the key metadata to assume, and the reference contact. */
  public static final class Request {
    public String configJson;
    public List<KeyMetadata> keyMetadata = new ArrayList<>();
    /** And/or the metadata of these files' keys (verified like in matching). */
    public List<String> exportPaths = new ArrayList<>();
    public List<PublicKey> publicKeys = new ArrayList<>();
    public boolean skipVerification = false;
    /** "android", "ios" or "all". */
    public String platform = "all";
    public int contactMinutes = 15;
    public double contactMeters = 1;
    public double attenuationAt1mDb = 55;
    public double pathLossExponent = 2;
  }

  private ConfigLinter() {}

  /** The report `exposure lint-config` prints (verdicts, reasons, "all_platforms_notify"). */
  public static String lint(Request r) {
    return Utf8.decode(Native.lintConfig(Utf8.encode(r.configJson), Records.packKeyMetadata(r.keyMetadata),
        Utf8.encodeAll(r.exportPaths), PublicKey.names(r.publicKeys), PublicKey.keys(r.publicKeys),
        r.skipVerification, Utf8.encode(r.platform), r.contactMinutes, r.contactMeters, r.attenuationAt1mDb,
        r.pathLossExponent));
  }
}
