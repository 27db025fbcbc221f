package org.exposure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java binding on the JVM, through the real JNI library (JUnit 5): generate keys, build an
 * advertisement, record sightings in the encrypted store, verify the conformance archive,
 * match, score, lint; and native errors as exceptions. The system property exposure.test.data
 * names the test data folder (tests/data).
 */
final class ExposureRoundTest {
  private static final Path DATA = Path.of(System.getProperty("exposure.test.data", "tests/data"));

  // The server example's archive holds TEK K2MFOsSDI43hdhaehh89zQ== (start 2649866, period 114).
  private static final String KEY_HEX = "2b63053ac483238de176169e861f3dcd";
  private static final int KEY_START = 2649866;
  private static final long NOW = KEY_START * 600L + 2 * 86400;

  private static void expectError(ErrorCode code, String messagePart, Executable body) {
    ExposureException e = assertThrows(ExposureException.class, body, "expected " + code + " (" + messagePart + ")");
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention " + messagePart);
  }

  private static byte[] hex(String text) {
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; ++i) out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    return out;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) out.append(String.format("%02x", b));
    return out.toString();
  }

  private static String read(String name) throws IOException {
    return new String(Files.readAllBytes(DATA.resolve(name)), StandardCharsets.UTF_8);
  }

  private static String archive() {
    return DATA.resolve("server-example-2-keys.zip").toString();
  }

  private static List<PublicKey> serverKey() throws IOException {
    return Collections.singletonList(PublicKey.fromPem("some_id-1", read("server-example-2-keys.public.pem")));
  }

  @Test
  void versionAndOfficialVectors() throws IOException {
    assertTrue(Exposure.abiVersion() == 1, "ABI version 1");
    assertTrue(Exposure.version().matches("\\d+\\.\\d+\\.\\d+"), "version " + Exposure.version());
    // The official test vectors: the first RPI and AEM of the TEK.
    List<String> lines = Files.readAllLines(DATA.resolve("test-vectors.txt"));
    String tek = lines.get(0).substring(4);
    String metadata = lines.get(3).substring(9);
    int start = Integer.parseInt(lines.get(4).substring(15));
    String[] first = lines.get(5).split(" ");
    Beacon beacon = Beacon.derive(hex(tek), start, hex(metadata));
    assertTrue(hex(beacon.rpi()).equals(first[1]), "official RPI " + hex(beacon.rpi()));
    assertTrue(hex(beacon.aem()).equals(first[2]), "official AEM " + hex(beacon.aem()));
    assertTrue(hex(beacon.decryptMetadata(hex(tek))).equals(metadata), "metadata decrypts");
    Metadata m = Metadata.decode(hex(metadata));
    assertTrue(m.majorVersion() == 1 && m.txPowerDbm() == 8, "metadata decodes");
    assertArrayEquals(hex(metadata), m.encode(), "metadata encodes");
  }

  static KeySchedule.Options scheduleOptions(long now) {
    KeySchedule.Options options = new KeySchedule.Options();
    options.nowUnixSeconds = now;
    options.metadata = new Metadata(1, 1, 0, -12);
    return options;
  }

  /** Generate keys and build an advertisement; returns the history to persist. */
  static List<TemporaryExposureKey> advertise(long now) {
    try (KeySchedule schedule = new KeySchedule(new ArrayList<>(), scheduleOptions(now))) {
      TemporaryExposureKey key = schedule.currentKey();
      assertTrue(key.rollingStartIntervalNumber() % 144 == 0 && key.rollingPeriod() == 144, "today's key");
      Advertisement ad = schedule.currentAdvertisement();
      assertTrue(ad.interval() == Exposure.intervalNumber(now), "advertised interval");
      assertTrue(ad.advertisingData().length == 31, "31-byte payload");
      Beacon expected = Beacon.derive(key.keyData(), ad.interval(), new Metadata(1, 1, 0, -12).encode());
      assertTrue(ad.beacon().equals(expected), "advertised beacon is the key's RPI and AEM");
      assertTrue(Beacon.parseAdvertisingData(ad.advertisingData()).equals(expected), "payload parses back");
      assertTrue(schedule.nextRotationUnixSeconds() == (ad.interval() + 1L) * 600, "next rotation");
      assertTrue(schedule.keysForUpload().isEmpty(), "nothing to upload yet");
      schedule.releaseCurrentKey();
      List<TemporaryExposureKey> upload = schedule.keysForUpload();
      assertTrue(upload.size() == 1 && upload.get(0).equals(new TemporaryExposureKey(key.keyData(),
          key.rollingStartIntervalNumber(), ad.interval() - key.rollingStartIntervalNumber() + 1)),
          "released key is uploadable, shortened");
      return schedule.history();
    }
  }

  /** What a scanner hears from the diagnosed person: four scans five minutes apart at -47 dBm. */
  static List<Sighting> scans() {
    List<Sighting> out = new ArrayList<>();
    byte[] metadata = new Metadata(1, 0, 0, 8).encode();
    for (int i = 0; i < 4; ++i) {
      long time = (KEY_START + 30) * 600L + 10 + 300L * i;
      Beacon sent = Beacon.derive(hex(KEY_HEX), Exposure.intervalNumber(time), metadata);
      Beacon heard = Beacon.parseAdvertisingData(sent.advertisingData());
      out.add(new Sighting(heard, time, time - 300, -47));
    }
    return out;
  }

  static List<Sighting> recordAndReload(Path directory, List<TemporaryExposureKey> history) {
    byte[] key = Store.generateKey();
    assertTrue(key.length == 32, "32-byte storage key");
    Store.Options options = new Store.Options();
    options.nowUnixSeconds = NOW;
    List<Sighting> heard = scans();
    try (Store store = Store.open(directory.toString(), key, options)) {
      Store.IngestReport report = store.addSightings(heard);
      assertTrue(report.stored == 4 && report.expired == 0, "4 sightings stored");
      store.saveOwnKeys(history);
    }
    expectError(ErrorCode.WRONG_KEY, "", () -> Store.open(directory.toString(), Store.generateKey(), options).close());
    try (Store store = Store.open(directory.toString(), key, options)) {
      List<Sighting> loaded = store.loadSightings();
      assertTrue(loaded.size() == 4 && loaded.containsAll(heard), "sightings reload");
      assertTrue(store.loadOwnKeys().equals(history), "own keys reload");
      Store.Stats stats = store.stats();
      assertTrue(stats.sightings == 4 && stats.daysCovered == 1 && stats.ownKeys == history.size(), "store stats");
      assertTrue(Sighting.fromCsv(Sighting.toCsv(loaded)).equals(loaded), "CSV round trip");
      Store closed = store;
      closed.close();
      assertThrows(IllegalStateException.class, closed::loadSightings, "a closed store refuses calls");
      return loaded;
    } finally {
      Store.wipe(directory.toString());
      assertFalse(Files.exists(directory.resolve("store.db")), "store wiped");
    }
  }

  @Test
  void archiveVerifiesAndReads() throws IOException {
    ExportFile.verify(archive(), serverKey());
    ExportFile.verify(Files.readAllBytes(DATA.resolve("server-example-2-keys.zip")), serverKey());
    List<PublicKey> wrongName =
        Collections.singletonList(PublicKey.fromPem("other-1", read("server-example-2-keys.public.pem")));
    expectError(ErrorCode.VERIFICATION_FAILED, "server-example-2-keys.zip", () -> ExportFile.verify(archive(), wrongName));
    List<DiagnosisKey> keys = ExportFile.readKeys(archive());
    assertTrue(keys.size() == 2, "2 keys in the archive");
    assertTrue(keys.stream().anyMatch(k -> hex(k.keyData()).equals(KEY_HEX) && k.rollingPeriod() == 114
        && k.transmissionRiskLevel() == 1 && k.daysSinceOnsetOfSymptoms() == null), "the contact's key is there");
  }

  static void matchAndScore(List<Sighting> sightings) throws IOException {
    MatchRequest request = new MatchRequest();
    request.sightings = sightings;
    request.exportPaths = Collections.singletonList(archive());
    request.publicKeys = serverKey();
    request.nowUnixSeconds = NOW;
    try (MatchResult result = MatchResult.match(request)) {
      assertTrue(result.matchedKeyCount() == 1, "one key matched");
      String json = result.json();
      assertTrue(json.contains("\"key\": \"" + KEY_HEX + "\""), "matched key in JSON");
      assertTrue(json.contains("\"typical_attenuation_db\": 55"), "attenuation 55 dB");
      String v2 = result.score(read("sane-v2-config.json"), "all");
      assertTrue(v2.contains("\"android\"") && v2.contains("\"ios\""), "both platforms scored");
      assertTrue(v2.contains("\"score_sum\": 1800.0"), "v2 score sum 1800");
      assertTrue(!v2.contains("no-notification") && v2.contains("\"verdict\": \"notify\""), "v2 notifies");
      String v1 = result.score(read("sane-v1-config.json"), "android");
      assertTrue(v1.contains("\"verdict\": \"notify\"") && !v1.contains("\"ios\""), "v1 notifies on android");
      expectError(ErrorCode.INVALID_ARGUMENT, "platform 'windows'", () -> result.score(read("sane-v1-config.json"), "windows"));
    }
    request.publicKeys = Collections.singletonList(
        PublicKey.fromPem("some_id-1", read("internals-sample-140-keys.public-310-v1.pem")));
    expectError(ErrorCode.VERIFICATION_FAILED, "some_id-1", () -> MatchResult.match(request).close());
  }

  @Test
  void linter() throws IOException {
    ConfigLinter.Request request = new ConfigLinter.Request();
    request.configJson = read("sane-v1-config.json");
    request.exportPaths = Collections.singletonList(archive());
    request.publicKeys = serverKey();
    String report = ConfigLinter.lint(request);
    assertTrue(report.contains("\"keys\": 2"), "linter read the archive's keys");
    assertTrue(report.contains("\"all_platforms_notify\": true"), "sane v1 configuration notifies everywhere");
    ConfigLinter.Request direct = new ConfigLinter.Request();
    direct.configJson = read("cocoa-v1.1.4-config.json");
    direct.keyMetadata = Collections.singletonList(new KeyMetadata(0, 1, null));
    assertTrue(ConfigLinter.lint(direct).contains("\"verdicts\""), "linter with metadata given directly");
    RiskConfig.check(read("sane-v2-config.json"));
    expectError(ErrorCode.INVALID_ARGUMENT, "attenuationScores[3]",
        () -> RiskConfig.check("{\"attenuationScores\": [1, 2, 3, 9, 5, 6, 7, 8]}"));
  }

  @Test
  void nativeErrorsAreExceptions() {
    expectError(ErrorCode.MALFORMED, "offset 0", () -> Beacon.parseAdvertisingData(new byte[] {5, 1}));
    expectError(ErrorCode.NOT_FOUND, "0xFD6F", () -> Beacon.parseAdvertisingData(new byte[0]));
    expectError(ErrorCode.INVALID_ARGUMENT, "tek: expected 16 bytes, got 3", () -> Beacon.derive(new byte[3], 1, new byte[4]));
    expectError(ErrorCode.MALFORMED, "line 2", () -> Sighting.fromCsv("rpi,aem,time,rssi\nzz,00,1,2\n"));
    expectError(ErrorCode.INVALID_ARGUMENT, "history[0]: rolling_period 0",
        () -> new KeySchedule(Collections.singletonList(new TemporaryExposureKey(new byte[16], 0, 0)),
            new KeySchedule.Options()).close());
  }

  @Test
  void roundThroughScheduleStoreAndMatch(@TempDir Path work) throws IOException {
    List<TemporaryExposureKey> history = advertise(NOW);
    List<Sighting> sightings = recordAndReload(work.resolve("store"), history);
    matchAndScore(sightings);
  }
}
