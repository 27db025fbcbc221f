package org.exposure;

import java.util.List;

/**
 * The app's protocol without I/O (docs/app-sdk.md): an upload after a positive test, an
 * exposure check, or one chaff request. The library builds every request and reads every reply;
 * the app sends them with its own HTTP client (OkHttp, HttpURLConnection):
 *
 * <pre>
 * try (Exchange upload = Exchange.upload(store, schedule.keysForUpload(), options)) {
 *   for (HttpRequest request; (request = upload.nextRequest()) != null; ) {
 *     Reply reply = send(request);                  // status 0 when no reply came
 *     upload.receive(reply.status, reply.body);     // throws ExposureException when it ends badly
 *   }
 *   String result = upload.resultJson();
 * }
 * </pre>
 *
 * Errors that end an exchange: REJECTED (the server refused: do not repeat; {@link #serverError()}
 * has its code), UNAVAILABLE (no reply, 429 or 5xx: try later), MALFORMED (a reply, index or
 * archive that does not parse), VERIFICATION_FAILED (an archive's signature). The store is written
 * only when an exchange succeeds. It must stay open while the exchange is used: every call checks
 * it (IllegalStateException once it is closed) and holds its lock.
 */
public final class Exchange extends NativeHandle {
  /** The route a chaff request imitates. */
  public enum ChaffRoute {
    VERIFY,
    CERTIFICATE,
    PUBLISH,
    COCOA
  }

  private final Store store;  // null for chaff

  private Exchange(long handle, Store store) {
    super(handle);
    this.store = store;
  }

  /**
   * Starts uploading {@code keys} (from {@link KeySchedule#keysForUpload()}, after
   * releaseCurrentKey() for today's key). The store records the upload and the server's revision
   * token when the keys are accepted; a later upload sends that token back. INVALID_ARGUMENT for no
   * keys, more than 30, no code, or COCOA without a region.
   */
  public static Exchange upload(Store store, List<TemporaryExposureKey> keys, UploadOptions options) {
    synchronized (store) {
      return new Exchange(NativeApp.uploadStart(store.handle(), Records.packKeys(keys), options.flow.ordinal(),
          Utf8.encode(options.code), Utf8.encode(options.appId), Utf8.encodeAll(options.regions),
          Utf8.encode(options.platform), Utf8.encode(options.onsetDate), options.transmissionRisk,
          options.nowUnixSeconds), store);
    }
  }

  /**
   * Starts an incremental exposure check against the store's sightings: the region's index, then
   * each archive no earlier check processed; ends with one decision ({@link #notifies()}).
   * INVALID_ARGUMENT naming the field for a bad option or configuration.
   */
  public static Exchange check(Store store, CheckOptions options) {
    synchronized (store) {
      return new Exchange(NativeApp.checkStart(store.handle(), Utf8.encode(options.region),
          Utf8.encode(options.exportPath), options.useListJson, PublicKey.names(options.publicKeys),
          PublicKey.keys(options.publicKeys), Utf8.encode(options.configJson), Utf8.encode(options.platform),
          options.nowUnixSeconds, options.threads), store);
    }
  }

  /** One chaff request shaped like the real requests of {@code route} (X-Chaff: 1); any reply ends it. */
  public static Exchange chaff(ChaffRoute route) {
    return new Exchange(NativeApp.chaffStart(route.ordinal()), null);
  }

  @Override
  void free(long handle) {
    NativeApp.free(handle);
  }

  /** The request to send now, or null when the exchange has ended. */
  public synchronized HttpRequest nextRequest() {
    synchronized (lock()) {
      requireStore();
      byte[][] parts = NativeApp.nextRequest(handle());
      return parts == null ? null : HttpRequest.fromParts(parts);
    }
  }

  /**
   * The reply to the last request: its HTTP status (0 when no reply came) and body (binary for
   * archives; null for none). Throws ExposureException when the reply ends the exchange with an
   * error.
   */
  public synchronized void receive(int httpStatus, byte[] body) {
    synchronized (lock()) {
      requireStore();
      NativeApp.receive(handle(), httpStatus, body);
    }
  }

  /**
   * How the exchange ended, as JSON: {"upload": {...}}, {"check": {..., "decision": {"notify",
   * "new_days", "qualifying_days", "reasons"}}}, {"chaff": true}, or {"error": {"status",
   * "message", "http_status", "server_code"}}. FAILED_PRECONDITION while it is running.
   */
  public synchronized String resultJson() {
    return Utf8.decode(NativeApp.resultJson(handle()));
  }

  /** A finished, successful check's decision: notify the user now? FAILED_PRECONDITION otherwise. */
  public synchronized boolean notifies() {
    return NativeApp.checkNotify(handle());
  }

  /** The server's refusal that ended the exchange, or null (running, succeeded, or no HTTP reply). */
  public synchronized ServerError serverError() {
    return NativeApp.serverError(handle());
  }

  private Object lock() {
    return store != null ? store : this;
  }

  private void requireStore() {
    if (store != null) store.handle();
  }
}
