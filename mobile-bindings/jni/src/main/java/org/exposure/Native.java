package org.exposure;

/**
 * The JNI entry points (src/main/cpp). Strings travel as UTF-8 byte arrays, lists as the records
 * of {@link Records}, handles as longs. Every method throws {@link ExposureException} with the
 * native message when the library reports an error.
 */
final class Native {
  static {
    System.loadLibrary("exposure_jni");
  }

  private Native() {}

  static native byte[] version();
  static native int abiVersion();
  static native int intervalNumber(long unixSeconds);

  static native byte[] encodeMetadata(int major, int minor, int confidence, int txPowerDbm);
  static native int[] decodeMetadata(byte[] bytes);
  static native byte[] deriveBeacon(byte[] tek, int interval, byte[] metadata);
  static native byte[] decryptMetadata(byte[] tek, byte[] beacon);
  static native byte[] buildAdvertisingData(byte[] beacon);
  static native byte[] parseAdvertisingData(byte[] data);

  static native long keyScheduleNew(byte[] history, long now, int major, int minor, int confidence, int txPowerDbm,
      int historyDays, int maxKeysPerStart);
  static native void keyScheduleFree(long schedule);
  static native void keyScheduleSetTime(long schedule, long now);
  static native byte[] keyScheduleCurrentKey(long schedule);
  static native byte[] keyScheduleCurrentAdvertisement(long schedule);
  static native long keyScheduleNextRotation(long schedule);
  static native byte[] keyScheduleHistory(long schedule);
  static native byte[] keyScheduleKeysForUpload(long schedule);
  static native void keyScheduleReleaseCurrentKey(long schedule);

  static native byte[] sightingsFromCsv(byte[] csv);
  static native byte[] sightingsFromCsvFile(byte[] path);
  static native byte[] sightingsToCsv(byte[] sightings);

  static native byte[] generateStorageKey();
  static native long storeOpen(byte[] directory, byte[] key, long now, int retentionDays, boolean createIfMissing,
      long maxDatabaseBytes);
  static native void storeClose(long store);
  static native void storeSetTime(long store, long now);
  static native long[] storeAddSightings(long store, byte[] sightings);
  static native byte[] storeLoadSightings(long store);
  static native void storeSaveOwnKeys(long store, byte[] keys);
  static native byte[] storeLoadOwnKeys(long store);
  static native void storeRotateKey(long store, byte[] key);
  static native long[] storeStats(long store);
  static native void storeWipe(byte[] directory);

  static native void verifyExportFile(byte[] path, byte[][] keyNames, byte[][] keys);
  static native void verifyExportBytes(byte[] data, byte[][] keyNames, byte[][] keys);
  static native byte[] readExportFile(byte[] path);
  static native byte[] readExportBytes(byte[] data);

  static native long match(byte[] sightings, byte[] keys, byte[][] paths, byte[][] keyNames, byte[][] publicKeys,
      boolean skipVerification, long now, int threads);
  static native void matchResultFree(long result);
  static native long matchResultMatchedKeyCount(long result);
  static native byte[] matchResultJson(long result);
  static native byte[] matchResultScore(long result, byte[] config, byte[] platform);
  static native void checkRiskConfig(byte[] config);
  static native byte[] lintConfig(byte[] config, byte[] keyMetadata, byte[][] paths, byte[][] keyNames,
      byte[][] publicKeys, boolean skipVerification, byte[] platform, int contactMinutes, double contactMeters,
      double attenuationAt1mDb, double pathLossExponent);
}
