package org.exposure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size little-endian records in which lists cross the JNI boundary (the layout is
 * mirrored in src/main/cpp/jni_records.h):
 *
 * <pre>
 *   TEK             24 bytes: key_data[16] start:u32 period:u32
 *   sighting        29 bytes: rpi[16] aem[4] time:u32 previous_scan_time:u32 rssi:i8
 *   diagnosis key   40 bytes: key_data[16] start:u32 period:u32 trl:i32 report_type:i32
 *                             has_days:i32 days:i32
 *   key metadata    16 bytes: trl:i32 report_type:i32 has_days:i32 days:i32
 * </pre>
 */
final class Records {
  static final int TEK = 24;
  static final int SIGHTING = 29;
  static final int DIAGNOSIS_KEY = 40;
  static final int KEY_METADATA = 16;

  private Records() {}

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer wrap(byte[] bytes, int recordSize) {
    if (bytes.length % recordSize != 0) {
      throw new ExposureException(ErrorCode.INTERNAL.ordinal(), "record buffer of " + bytes.length + " bytes");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] take(ByteBuffer in, int length) {
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  static byte[] packKeys(List<TemporaryExposureKey> keys) {
    ByteBuffer out = buffer(keys.size() * TEK);
    for (TemporaryExposureKey k : keys) {
      out.put(k.keyData()).putInt(k.rollingStartIntervalNumber()).putInt(k.rollingPeriod());
    }
    return out.array();
  }

  static List<TemporaryExposureKey> unpackKeys(byte[] bytes) {
    ByteBuffer in = wrap(bytes, TEK);
    List<TemporaryExposureKey> out = new ArrayList<>();
    while (in.hasRemaining()) out.add(new TemporaryExposureKey(take(in, 16), in.getInt(), in.getInt()));
    return out;
  }

  static byte[] packSightings(List<Sighting> sightings) {
    ByteBuffer out = buffer(sightings.size() * SIGHTING);
    for (Sighting s : sightings) {
      out.put(s.beacon().rpi()).put(s.beacon().aem());
      out.putInt((int) s.time()).putInt((int) s.previousScanTime()).put((byte) s.rssi());
    }
    return out.array();
  }

  static List<Sighting> unpackSightings(byte[] bytes) {
    ByteBuffer in = wrap(bytes, SIGHTING);
    List<Sighting> out = new ArrayList<>();
    while (in.hasRemaining()) {
      Beacon beacon = new Beacon(take(in, 16), take(in, 4));
      long time = Integer.toUnsignedLong(in.getInt());
      long previous = Integer.toUnsignedLong(in.getInt());
      out.add(new Sighting(beacon, time, previous, in.get()));
    }
    return out;
  }

  static byte[] packDiagnosisKeys(List<DiagnosisKey> keys) {
    ByteBuffer out = buffer(keys.size() * DIAGNOSIS_KEY);
    for (DiagnosisKey k : keys) {
      out.put(k.keyData()).putInt(k.rollingStartIntervalNumber()).putInt(k.rollingPeriod());
      out.putInt(k.transmissionRiskLevel()).putInt(k.reportType());
      Integer days = k.daysSinceOnsetOfSymptoms();
      out.putInt(days == null ? 0 : 1).putInt(days == null ? 0 : days);
    }
    return out.array();
  }

  static List<DiagnosisKey> unpackDiagnosisKeys(byte[] bytes) {
    ByteBuffer in = wrap(bytes, DIAGNOSIS_KEY);
    List<DiagnosisKey> out = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] key = take(in, 16);
      int start = in.getInt(), period = in.getInt(), trl = in.getInt(), type = in.getInt();
      boolean hasDays = in.getInt() != 0;
      int days = in.getInt();
      out.add(new DiagnosisKey(key, start, period, trl, type, hasDays ? Integer.valueOf(days) : null));
    }
    return out;
  }

  static byte[] packKeyMetadata(List<KeyMetadata> metadata) {
    ByteBuffer out = buffer(metadata.size() * KEY_METADATA);
    for (KeyMetadata m : metadata) {
      Integer days = m.daysSinceOnset();
      out.putInt(m.transmissionRiskLevel()).putInt(m.reportType());
      out.putInt(days == null ? 0 : 1).putInt(days == null ? 0 : days);
    }
    return out.array();
  }
}
