package org.exposure;

import java.util.List;

/**
 * The encrypted device store (sightings, own keys) in a directory, opened with the host's
 * 32-byte key (from the Android Keystore, for instance).
 */
public final class Store extends NativeHandle {
  /** Options; the defaults are the platforms'. */
  public static final class Options {
    /** Unix seconds taken as now for retention; 0 = the system clock. */
    public long nowUnixSeconds = 0;
    public int retentionDays = 14;
    public boolean createIfMissing = true;
    /** 0 = no limit. */
    public long maxDatabaseBytes = 0;
  }

  /** What addSightings did. */
  public static final class IngestReport {
    public final long stored;
    public final long expired;

    IngestReport(long stored, long expired) {
      this.stored = stored;
      this.expired = expired;
    }
  }

  /** Counts from the store's sealed summary. Days are UTC day numbers, -1 when none. */
  public static final class Stats {
    public final long sightings, chunks, ownKeys, daysCovered, firstDay, lastDay, databaseBytes, walBytes;

    Stats(long[] v) {
      sightings = v[0];
      chunks = v[1];
      ownKeys = v[2];
      daysCovered = v[3];
      firstDay = v[4];
      lastDay = v[5];
      databaseBytes = v[6];
      walBytes = v[7];
    }
  }

  private Store(long handle) {
    super(handle);
  }

  /** Opens (or creates) the store; throws WRONG_KEY, CORRUPT, NOT_FOUND, IO_ERROR... */
  public static Store open(String directory, byte[] key, Options options) {
    return new Store(Native.storeOpen(Utf8.encode(directory), key, options.nowUnixSeconds, options.retentionDays,
        options.createIfMissing, options.maxDatabaseBytes));
  }

  /** A fresh 32-byte storage key. */
  public static byte[] generateKey() {
    return Native.generateStorageKey();
  }

  /** Deletes the store in {@code directory} (files overwritten, then removed); none may be open. */
  public static void wipe(String directory) {
    Native.storeWipe(Utf8.encode(directory));
  }

  @Override
  void free(long handle) {
    Native.storeClose(handle);
  }

  public synchronized void setTime(long nowUnixSeconds) {
    Native.storeSetTime(handle(), nowUnixSeconds);
  }

  /** Adds a batch in one transaction (all or nothing). */
  public synchronized IngestReport addSightings(List<Sighting> sightings) {
    long[] r = Native.storeAddSightings(handle(), Records.packSightings(sightings));
    return new IngestReport(r[0], r[1]);
  }

  public synchronized List<Sighting> loadSightings() {
    return Records.unpackSightings(Native.storeLoadSightings(handle()));
  }

  public synchronized void saveOwnKeys(List<TemporaryExposureKey> keys) {
    Native.storeSaveOwnKeys(handle(), Records.packKeys(keys));
  }

  public synchronized List<TemporaryExposureKey> loadOwnKeys() {
    return Records.unpackKeys(Native.storeLoadOwnKeys(handle()));
  }

  /** Re-encrypts everything under {@code newKey}; afterwards only it opens the store. */
  public synchronized void rotateKey(byte[] newKey) {
    Native.storeRotateKey(handle(), newKey);
  }

  public synchronized Stats stats() {
    return new Stats(Native.storeStats(handle()));
  }
}
