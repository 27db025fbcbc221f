package org.exposure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The advertiser's key schedule over the persisted own-key history: the key in force, what to
 * broadcast now, when it changes, and which keys may be uploaded. Persist history() after every
 * call that may change it (e.g. with Store.saveOwnKeys).
 */
public final class KeySchedule extends NativeHandle {
  /** Options; the defaults are the platforms'. */
  public static final class Options {
    /** Unix seconds taken as now; 0 = the system clock. */
    public long nowUnixSeconds = 0;
    /** Metadata encrypted into every AEM (v1.1, TX power 0 by default). */
    public Metadata metadata = new Metadata(1, 1, 0, 0);
    public int historyDays = 14;
    public int maxKeysPerStart = 3;
  }

  public KeySchedule(List<TemporaryExposureKey> history, Options options) {
    super(Native.keyScheduleNew(Records.packKeys(history), options.nowUnixSeconds, options.metadata.majorVersion(),
        options.metadata.minorVersion(), options.metadata.calibrationConfidence(), options.metadata.txPowerDbm(),
        options.historyDays, options.maxKeysPerStart));
  }

  @Override
  void free(long handle) {
    Native.keyScheduleFree(handle);
  }

  /** Sets the time taken as now (0 = back to the system clock). */
  public synchronized void setTime(long nowUnixSeconds) {
    Native.keyScheduleSetTime(handle(), nowUnixSeconds);
  }

  public synchronized TemporaryExposureKey currentKey() {
    return Records.unpackKeys(Native.keyScheduleCurrentKey(handle())).get(0);
  }

  public synchronized Advertisement currentAdvertisement() {
    byte[] bytes = Native.keyScheduleCurrentAdvertisement(handle());  // interval:u32 rpi aem payload[31]
    int interval = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    Beacon beacon = Beacon.fromBytes(Arrays.copyOfRange(bytes, 4, 24));
    return new Advertisement(interval, beacon, Arrays.copyOfRange(bytes, 24, 55));
  }

  /** Unix time at which the broadcast RPI next changes. */
  public synchronized long nextRotationUnixSeconds() {
    return Native.keyScheduleNextRotation(handle());
  }

  public synchronized List<TemporaryExposureKey> history() {
    return Records.unpackKeys(Native.keyScheduleHistory(handle()));
  }

  public synchronized List<TemporaryExposureKey> keysForUpload() {
    return Records.unpackKeys(Native.keyScheduleKeysForUpload(handle()));
  }

  /** Same-day release; throws FAILED_PRECONDITION when too many keys share today's start. */
  public synchronized void releaseCurrentKey() {
    Native.keyScheduleReleaseCurrentKey(handle());
  }
}
