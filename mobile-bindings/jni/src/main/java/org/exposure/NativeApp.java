package org.exposure;

/**
 * The JNI entry points of the app's protocol (src/main/cpp/jni_app.cc), in the conventions of
 * {@link Native}: strings as UTF-8 byte arrays, keys as {@link Records}, handles as longs.
 */
final class NativeApp {
  static {
    System.loadLibrary("exposure_jni");
  }

  private NativeApp() {}

  static native long uploadStart(long store, byte[] keys, int flow, byte[] code, byte[] appId, byte[][] regions,
      byte[] platform, byte[] onsetDate, int transmissionRisk, long now);
  static native long checkStart(long store, byte[] region, byte[] exportPath, boolean useListJson, byte[][] keyNames,
      byte[][] publicKeys, byte[] config, byte[] platform, long now, int threads);
  static native long chaffStart(int route);
  /** {method, path, body, name0, value0, ...}, or null when the exchange has ended. */
  static native byte[][] nextRequest(long exchange);
  static native void receive(long exchange, int httpStatus, byte[] body);
  static native byte[] resultJson(long exchange);
  static native boolean checkNotify(long exchange);
  static native ServerError serverError(long exchange);
  static native void free(long exchange);
}
