package org.exposure;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two phones through {@link Exchange} against a real exposure-server on loopback, with
 * java.net.http.HttpClient as the app's transport. Phone A advertises; phone B parses A's
 * advertising payloads and records them in its encrypted store; A tests positive and uploads its
 * keys (Google flow, then the COCOA flow in a second round); the server exports; B's check
 * notifies with its reasons; a second check downloads and notifies nothing new; a later archive
 * re-matches A's key without notifying the day again. Also: a wrong code is REJECTED with the
 * server's code, chaff, and an exchange whose store was closed. The server runs on a fake clock.
 * EXPOSURE_SERVER_BINARY names the server (ctest -R java.app_round sets it). Exits 1 when a
 * check fails.
 */
public final class ExposureAppRoundTest {
  private static int failures = 0;
  private static int checks = 0;

  private static final String REGION = "JP";
  private static final String APP_ID = "com.example.app";
  private static final long DAY = LocalDate.of(2026, 3, 10).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  private static final long MET = DAY + 15 * 3600;  // A and B meet at 15:00 UTC
  private static final int SCANS = 5;  // 20 minutes, one scan every 5 minutes
  private static final int RSSI = -60;  // attenuation 60 dB with A's TX power 0: bucket NEAR
  private static final long TESTED = MET + 30 * 60;  // A's positive test and upload
  private static final long CHECKED = DAY + 86400 + 12 * 3600;  // export and check, next day noon
  private static final String CONFIG = "{\"attenuationBucketThresholdDb\": [55, 63, 70],"
      + " \"attenuationBucketWeights\": [1.0, 1.0, 0.5, 0], \"reportTypeWeights\": [0, 1, 1, 1, 1, 0],"
      + " \"infectiousnessWeights\": [0, 1, 1], \"minimumDailyScore\": 900}";
  // 5 scans x 300 s at weight 1.0, a confirmed test (1.0), standard infectiousness (1.0).
  private static final double EXPECTED_SCORE = 1500;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(30)).build();

  private static void check(boolean condition, String what) {
    ++checks;
    if (!condition) {
      ++failures;
      System.err.println("FAILED: " + what);
    }
  }

  /** exposure-server in its own directory: SQLite, secret, export tree, fake clock. */
  static final class Server implements AutoCloseable {
    final Path dir;
    final String binary;
    Process process;
    String base;

    Server(Path dir, String binary) {
      this.dir = dir;
      this.binary = binary;
    }

    List<String> command(String... args) {
      List<String> out = new ArrayList<>();
      out.add(binary);
      out.addAll(Arrays.asList(args));
      out.addAll(Arrays.asList("--db", "sqlite:" + dir.resolve("server.db"), "--secret-file",
          dir.resolve("secret").toString(), "--export-root", dir.resolve("exports").toString(), "--fake-clock-file",
          dir.resolve("clock").toString()));
      return out;
    }

    Process spawn(String... args) throws IOException {
      return new ProcessBuilder(command(args))
          .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
          .start();
    }

    void setTime(long unixSeconds) throws IOException {
      Path tmp = dir.resolve("clock.tmp");
      Files.write(tmp, (unixSeconds + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, dir.resolve("clock"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String admin(String... args) throws IOException, InterruptedException {
      Process p = spawn(args);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int code = p.waitFor();
      if (code != 0) throw new IllegalStateException("exposure-server " + String.join(" ", args) + ": exit " + code + "\n" + log());
      return out;
    }

    void start() throws IOException {
      process = spawn("serve", "--listen", "127.0.0.1:0", "--no-export-worker");
      String line;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      String prefix = "listening on ";
      if (line == null || !line.startsWith(prefix)) {
        close();
        throw new IllegalStateException("exposure-server serve did not start: " + line + "\n" + log());
      }
      base = line.substring(prefix.length());
    }

    String log() throws IOException {
      return new String(Files.readAllBytes(dir.resolve("server.log")), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      if (process == null) return;
      process.destroy();  // SIGTERM
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  static final class Reply {
    final int status;
    final byte[] body;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }
  }

  /** The app's transport: sends what the library built; status 0 when no reply came. */
  static Reply send(String base, HttpRequest request) throws InterruptedException {
    String path = request.path();
    URI uri = URI.create(path.startsWith("http://") || path.startsWith("https://") ? path : base + path);
    java.net.http.HttpRequest.Builder message = java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    for (Map.Entry<String, String> header : request.headers().entrySet()) message.header(header.getKey(), header.getValue());
    message.method(request.method(), request.method().equals("GET")
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()));
    try {
      HttpResponse<byte[]> reply = HTTP.send(message.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(reply.statusCode(), reply.body());
    } catch (IOException e) {
      return new Reply(0, new byte[0]);
    }
  }

  static JsonObject parse(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }

  /** Runs the exchange to its end; returns its result. */
  static JsonObject run(Exchange exchange, String base) throws InterruptedException {
    try (Exchange x = exchange) {
      for (HttpRequest request; (request = x.nextRequest()) != null; ) {
        Reply reply = send(base, request);
        x.receive(reply.status, reply.body);
      }
      return parse(x.resultJson());
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) out.append(String.format("%02x", b));
    return out.toString();
  }

  static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : array) out.add(e.getAsString());
    return out;
  }

  /** One server and three phones' stores in a fresh directory. */
  static final class Round implements AutoCloseable {
    final Path root;
    final Server server;
    final Store phoneA, phoneB;
    final String apiKey;
    final PublicKey publicKey;

    Round(String binary) throws IOException, InterruptedException {
      root = Files.createTempDirectory("exposure-app-round");
      Files.createDirectories(root.resolve("server"));
      server = new Server(root.resolve("server"), binary);
      server.setTime(MET);
      apiKey = server.admin("ha", "add", "Test Lab");
      server.admin("app", "add", APP_ID, "--region", REGION);
      String[] lines = server.admin("signing-key", "add", "--id", "440", "--version", "v1").split("\n");
      String[] key = lines[lines.length - 1].split(",", 2);  // "ID-VERSION,BASE64"
      publicKey = new PublicKey(key[0], key[1].getBytes(StandardCharsets.UTF_8));
      server.admin("export", "--once");  // marks the windows before the upload as done
      server.start();
      phoneA = openStore("a", MET);
      phoneB = openStore("b", MET);
    }

    Store openStore(String name, long now) {
      Store.Options options = new Store.Options();
      options.nowUnixSeconds = now;
      return Store.open(root.resolve(name).toString(), Store.generateKey(), options);
    }

    static KeySchedule schedule(long now) {
      KeySchedule.Options options = new KeySchedule.Options();
      options.nowUnixSeconds = now;
      options.metadata = new Metadata(1, 1, 0, 0);
      return new KeySchedule(new ArrayList<>(), options);
    }

    /** A advertises during the scans; B parses each payload it hears and stores the sightings. */
    KeySchedule meet() {
      KeySchedule a = schedule(MET);
      List<Sighting> heard = new ArrayList<>();
      for (int i = 0; i < SCANS; ++i) {
        long time = MET + 300L * i;
        a.setTime(time);
        Beacon beacon = Beacon.parseAdvertisingData(a.currentAdvertisement().advertisingData());
        heard.add(new Sighting(beacon, time, time - 300, RSSI));
      }
      phoneA.saveOwnKeys(a.history());
      Store.IngestReport report = phoneB.addSightings(heard);
      check(report.stored == SCANS && report.expired == 0, "B stores every sighting");
      return a;
    }

    static List<TemporaryExposureKey> keysToUpload(KeySchedule schedule, Store store, long now) {
      schedule.setTime(now);
      schedule.releaseCurrentKey();  // same-day release: today's key is uploaded now
      store.saveOwnKeys(schedule.history());
      List<TemporaryExposureKey> keys = schedule.keysForUpload();
      check(keys.size() == 1, "one key to upload, got " + keys.size());
      return keys;
    }

    /** The health authority's side: a verification code for a confirmed test. */
    String issueCode(long now) throws IOException, InterruptedException {
      server.setTime(now);
      java.net.http.HttpRequest issue = java.net.http.HttpRequest.newBuilder(URI.create(server.base + "/api/issue"))
          .header("Content-Type", "application/json")
          .header("X-API-Key", apiKey)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              "{\"testType\": \"confirmed\", \"symptomDate\": \"2026-03-09\"}"))
          .build();
      HttpResponse<String> reply = HTTP.send(issue, HttpResponse.BodyHandlers.ofString());
      check(reply.statusCode() == 200, "/api/issue: " + reply.statusCode() + " " + reply.body());
      return parse(reply.body()).get("code").getAsString();
    }

    void upload(UploadOptions.Flow flow, Store store, List<TemporaryExposureKey> keys, long now)
        throws IOException, InterruptedException {
      UploadOptions options = new UploadOptions();
      options.flow = flow;
      options.code = issueCode(now);  // COCOA: the processing number
      options.nowUnixSeconds = now;
      if (flow == UploadOptions.Flow.COCOA) {
        options.regions = List.of(REGION);
        options.appId = APP_ID;
        options.onsetDate = "2026-03-09T00:00:00Z";
      }
      JsonObject upload = run(Exchange.upload(store, keys, options), server.base).getAsJsonObject("upload");
      String expected = flow == UploadOptions.Flow.GOOGLE ? "google" : "cocoa";
      check(upload.get("flow").getAsString().equals(expected), "upload flow " + upload);
      check(upload.get("keys_sent").getAsInt() == 1 && upload.get("keys_inserted").getAsInt() == 1,
          "one key sent and inserted: " + upload);
      check(!upload.get("revised").getAsBoolean(), "a first upload is no revision: " + upload);
      if (flow == UploadOptions.Flow.GOOGLE) {
        check(upload.get("test_type").getAsString().equals("confirmed"), "test type: " + upload);
      }
    }

    static final class Checked {
      final JsonObject result;
      final boolean notifies;

      Checked(JsonObject result, boolean notifies) {
        this.result = result;
        this.notifies = notifies;
      }
    }

    /** The server exports at {@code now}; B checks. */
    Checked exportAndCheck(long now) throws IOException, InterruptedException {
      server.setTime(now);
      server.admin("export", "--once");
      phoneB.setTime(now);
      CheckOptions options = new CheckOptions();
      options.region = REGION;
      options.publicKeys = List.of(publicKey);
      options.configJson = CONFIG;
      options.nowUnixSeconds = now;
      try (Exchange check = Exchange.check(phoneB, options)) {
        for (HttpRequest request; (request = check.nextRequest()) != null; ) {
          Reply reply = send(server.base, request);
          check.receive(reply.status, reply.body);
        }
        return new Checked(parse(check.resultJson()).getAsJsonObject("check"), check.notifies());
      }
    }

    @Override
    public void close() throws IOException {
      phoneA.close();
      phoneB.close();
      server.close();
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
      }
    }
  }

  static void round(String binary, UploadOptions.Flow flow) throws Exception {
    try (Round r = new Round(binary)) {
      List<TemporaryExposureKey> keys;
      try (KeySchedule a = r.meet()) {
        keys = Round.keysToUpload(a, r.phoneA, TESTED);
      }
      r.upload(flow, r.phoneA, keys, TESTED);
      String key = hex(keys.get(0).keyData());
      String what = flow + ": ";

      Round.Checked first = r.exportAndCheck(CHECKED);
      JsonObject decision = first.result.getAsJsonObject("decision");
      check(first.notifies && decision.get("notify").getAsBoolean(), what + "the first check notifies: " + decision);
      int archives = first.result.getAsJsonArray("archives_new").size();
      check(archives >= 1 && first.result.get("archives_in_index").getAsInt() == archives,
          what + "every archive in the index is new: " + first.result.get("archives_new"));
      JsonArray matched = first.result.getAsJsonArray("matched_keys");
      check(matched.size() == 1 && matched.get(0).getAsJsonObject().get("key").getAsString().equals(key),
          what + "A's key matched: " + matched);
      check(matched.size() == 1 && matched.get(0).getAsJsonObject().get("sightings").getAsInt() == SCANS
              && matched.get(0).getAsJsonObject().get("report_type").getAsString().equals("CONFIRMED_TEST"),
          what + "with every sighting, as a confirmed test: " + matched);
      check(strings(decision.getAsJsonArray("new_days")).equals(List.of("2026-03-10")), what + "new day: " + decision);
      JsonArray qualifying = decision.getAsJsonArray("qualifying_days");
      check(qualifying.size() == 1, what + "one qualifying day: " + qualifying);
      if (qualifying.size() == 1) {
        JsonObject day = qualifying.get(0).getAsJsonObject();
        check(day.get("day").getAsString().equals("2026-03-10") && day.get("api").getAsString().equals("v2")
                && day.get("score").getAsDouble() == EXPECTED_SCORE && day.get("threshold").getAsDouble() == 900
                && !day.get("notified_before").getAsBoolean(),
            what + "the day's score and threshold: " + day);
      }
      check(decision.getAsJsonArray("reasons").size() > 0, what + "the decision has reasons");

      // Nothing new on the server: only the index is downloaded, nothing notified.
      Round.Checked second = r.exportAndCheck(CHECKED);
      check(!second.notifies && !second.result.getAsJsonObject("decision").get("notify").getAsBoolean(),
          what + "the second check does not notify");
      check(second.result.getAsJsonArray("archives_new").size() == 0
              && second.result.get("archives_in_index").getAsInt() == archives
              && second.result.get("keys_processed").getAsInt() == 0,
          what + "the second check processes nothing: " + second.result.get("archives_new"));
      check(second.result.get("bytes_downloaded").getAsLong() < first.result.get("bytes_downloaded").getAsLong(),
          what + "the second check downloads only the index");
      check(second.result.getAsJsonObject("decision").getAsJsonArray("new_days").size() == 0,
          what + "no new day the second time");

      // Someone B never met uploads: B processes the new archive, still matches A's key (kept in
      // its store), and does not notify the same day again.
      try (Store phoneC = r.openStore("c", CHECKED); KeySchedule c = Round.schedule(CHECKED)) {
        r.upload(flow, phoneC, Round.keysToUpload(c, phoneC, CHECKED), CHECKED);
      }
      Round.Checked third = r.exportAndCheck(CHECKED + 4 * 3600);
      JsonObject thirdDecision = third.result.getAsJsonObject("decision");
      check(!third.notifies, what + "the third check does not notify again: " + thirdDecision);
      check(third.result.getAsJsonArray("archives_new").size() == 1, what + "one new archive the third time");
      JsonArray rematched = third.result.getAsJsonArray("matched_keys");
      check(rematched.size() == 1 && rematched.get(0).getAsJsonObject().get("key").getAsString().equals(key),
          what + "A's key is still matched: " + rematched);
      JsonArray days = thirdDecision.getAsJsonArray("qualifying_days");
      check(thirdDecision.getAsJsonArray("new_days").size() == 0 && days.size() == 1
              && days.get(0).getAsJsonObject().get("notified_before").getAsBoolean(),
          what + "the day qualifies but was notified before: " + thirdDecision);
    }
  }

  static void wrongCodeIsRejected(String binary) throws Exception {
    try (Round r = new Round(binary)) {
      List<TemporaryExposureKey> keys;
      try (KeySchedule a = r.meet()) {
        keys = Round.keysToUpload(a, r.phoneA, TESTED);
      }
      UploadOptions options = new UploadOptions();
      options.code = "00000000";
      options.nowUnixSeconds = TESTED;
      try (Exchange upload = Exchange.upload(r.phoneA, keys, options)) {
        HttpRequest request = upload.nextRequest();
        check(request.method().equals("POST") && request.path().equals("/api/verify"), "first request: " + request);
        check(upload.serverError() == null, "no server error while running");
        Reply reply = send(r.server.base, request);
        try {
          upload.receive(reply.status, reply.body);
          check(false, "a wrong code should be rejected");
        } catch (ExposureException e) {
          check(e.code() == ErrorCode.REJECTED, "REJECTED, got " + e.code() + ": " + e.getMessage());
        }
        ServerError error = upload.serverError();
        check(error != null && error.httpStatus() == 400 && error.code().equals("code_not_found"),
            "the server's refusal: " + error);
        check(upload.nextRequest() == null, "a rejected exchange has ended");
        JsonObject result = parse(upload.resultJson()).getAsJsonObject("error");
        check(result.get("status").getAsString().equals("rejected")
                && result.get("server_code").getAsString().equals("code_not_found"),
            "the result names the error: " + result);
      }
      // Nothing was published: B's check finds no archive and does not notify.
      Round.Checked checked = r.exportAndCheck(CHECKED);
      check(checked.result.get("archives_in_index").getAsInt() == 0 && !checked.notifies, "nothing to notify");
    }
  }

  static void chaff(String binary) throws Exception {
    try (Round r = new Round(binary); Exchange chaff = Exchange.chaff(Exchange.ChaffRoute.PUBLISH)) {
      HttpRequest request = chaff.nextRequest();
      check(request.method().equals("POST") && request.path().equals("/v1/publish")
              && "1".equals(request.headers().get("X-Chaff")) && request.body().length > 0,
          "chaff looks like a publish: " + request + " " + request.headers());
      Reply reply = send(r.server.base, request);
      check(reply.status == 200, "the server answers chaff: " + reply.status);
      chaff.receive(reply.status, reply.body);
      check(chaff.nextRequest() == null, "one chaff request");
      check(parse(chaff.resultJson()).get("chaff").getAsBoolean(), "chaff result");
    }
  }

  static void needsAnOpenStore(String binary) throws Exception {
    try (Round r = new Round(binary)) {
      List<TemporaryExposureKey> keys;
      try (KeySchedule a = r.meet()) {
        keys = Round.keysToUpload(a, r.phoneA, TESTED);
      }
      UploadOptions options = new UploadOptions();
      options.code = "12345678";
      try (Exchange upload = Exchange.upload(r.phoneA, keys, options)) {
        r.phoneA.close();
        try {
          upload.nextRequest();
          check(false, "an exchange whose store is closed should refuse to run");
        } catch (IllegalStateException e) {
          check(e.getMessage().contains("Store is closed"), "message: " + e.getMessage());
        }
      }
      UploadOptions noCode = new UploadOptions();
      try {
        Exchange.upload(r.phoneB, keys, noCode).close();
        check(false, "an upload without a code should be refused");
      } catch (ExposureException e) {
        check(e.code() == ErrorCode.INVALID_ARGUMENT && e.getMessage().contains("code"),
            "no code: " + e.code() + " " + e.getMessage());
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String binary = System.getenv("EXPOSURE_SERVER_BINARY");
    if (binary == null || binary.isEmpty()) {
      System.err.println("EXPOSURE_SERVER_BINARY must name the exposure-server binary");
      System.exit(2);
    }
    round(binary, UploadOptions.Flow.GOOGLE);
    round(binary, UploadOptions.Flow.COCOA);
    wrongCodeIsRejected(binary);
    chaff(binary);
    needsAnOpenStore(binary);
    System.out.println(checks + " checks, " + failures + " failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
