package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable event stream of a real corrald: replay by time and seq, filters, restarts. */
class EventsIT {
  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Path quick;

  @BeforeAll
  static void start() throws Exception {
    daemon = Corrald.start(Files.createDirectories(dir.resolve("shared")));
    api = daemon.api();
    quick = Fixtures.bundle(dir.resolve("b-true"), "true");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  @Test
  void replaySinceATimestampBetweenTwoBatchesReturnsExactlyTheSecondBatch() throws Exception {
    runToExit(api, "since-a1", "since-a2");
    Instant between = Instant.now();
    runToExit(api, "since-b1", "since-b2");
    for (String since : List.of(between.toString(), unixSeconds(between))) {
      List<JsonObject> replay = stored(api, "?stored=1&since=" + enc(since));
      List<String> got = new ArrayList<>();
      for (JsonObject e : replay) {
        got.add(e.get("type").getAsString() + " " + e.get("id").getAsString());
      }
      assertEquals(
          List.of(
              "start-container since-b1",
              "exit since-b1",
              "delete since-b1",
              "start-container since-b2",
              "exit since-b2",
              "delete since-b2"),
          got,
          "since=" + since);
    }
  }

  @Test
  void storedAloneReplaysEverythingRetainedAndEnds() throws Exception {
    runToExit(api, "alone-1");
    List<JsonObject> alone = stored(api, "?stored=1");
    assertEquals(stored(api, "?stored=1&after=0"), alone);
    assertFalse(alone.isEmpty());
    assertContiguous(alone);
    assertTrue(
        alone.stream()
            .anyMatch(
                e ->
                    e.get("type").getAsString().equals("exit")
                        && e.get("id").getAsString().equals("alone-1")),
        alone.toString());
  }

  @Test
  void afterNAndLastEventIdReplayFromNPlusOneAndStoredEnds() throws Exception {
    runToExit(api, "after-1", "after-2");
    List<JsonObject> all = stored(api, "?stored=1&after=0");
    assertContiguous(all);
    long n = all.get(all.size() - 4).get("seq").getAsLong();
    List<JsonObject> tail = stored(api, "?stored=1&after=" + n);
    assertEquals(3, tail.size());
    assertEquals(n + 1, tail.get(0).get("seq").getAsLong());
    assertContiguous(tail);
    ContentResponse sse =
        api.request("GET", "/v1/events?stored=1")
            .headers(h -> h.put("Accept", "text/event-stream").put("Last-Event-ID", "" + n))
            .send();
    assertEquals("text/event-stream", sse.getMediaType());
    String body = sse.getContentAsString();
    assertTrue(body.startsWith("id: " + (n + 1) + "\ndata: {\"seq\":" + (n + 1)), body);
    assertEquals(3, body.split("\n\n").length, body);
  }

  @Test
  void idAndTypeFiltersSelectEvents() throws Exception {
    runToExit(api, "filter-1", "filter-2");
    List<JsonObject> exits = stored(api, "?stored=1&after=0&id=filter-2&type=exit");
    assertEquals(1, exits.size());
    assertEquals("filter-2", exits.get(0).get("id").getAsString());
    assertEquals(0, exits.get(0).get("status").getAsInt());
    List<JsonObject> two = stored(api, "?stored=1&after=0&id=filter-1&type=exit,delete");
    assertEquals(List.of("exit", "delete"), types(two));
  }

  @Test
  void liveFollowsTheReplayWithNoGapAndSinceInTheFutureReplaysNothing() throws Exception {
    runToExit(api, "seam-1");
    String future = Instant.now().plusSeconds(3600).toString();
    try (Api.EventStream s = api.events("?id=seam-2&since=" + enc(future))) {
      JsonObject live = s.events.poll(30, TimeUnit.SECONDS);
      assertEquals("live", live.get("type").getAsString(), live.toString());
      runToExit(api, "seam-2");
      assertEquals("seam-2", s.next("start-container", "seam-2").get("id").getAsString());
    }
    List<JsonObject> all = stored(api, "?stored=1&after=0");
    long last = all.get(all.size() - 1).get("seq").getAsLong();
    try (Api.EventStream s = api.events("?after=" + (last - 2))) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seqs.add(s.events.poll(30, TimeUnit.SECONDS).get("seq").getAsLong());
      }
      assertEquals(List.of(last - 1, last, last), seqs, "two replayed, then live at " + last);
    }
  }

  @Test
  void aClientThatDisconnectsFreesItsSubscription() throws Exception {
    int base = subscribers();
    Api.EventStream s = api.events("");
    s.next("live", null);
    assertEquals(base + 1, subscribers());
    s.close(); // aborts the response: the connection closes under the daemon's stream
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (subscribers() != base && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(base, subscribers(), "the subscription is dropped once the client is gone");
  }

  static int subscribers() throws Exception {
    return api.get("/v1/info").json().get("eventSubscribers").getAsInt();
  }

  @Test
  void malformedParametersAre400NamingTheParameter() throws Exception {
    for (String[] c :
        new String[][] {
          {"?since=yesterday", "since: "},
          {"?until=2026-13-01T00:00:00Z", "until: "},
          {"?after=-1", "after: "},
          {"?after=x", "after: "},
          {"?type=exploded", "type: "},
          {"?id=../x", "id: "},
          {"?stored=maybe", "stored: "}
        }) {
      Api.Reply r = api.get("/v1/events" + c[0]);
      assertEquals(400, r.status(), c[0] + " " + r.body());
      assertTrue(r.message().startsWith(c[1]), c[0] + " " + r.message());
    }
    ContentResponse r =
        api.request("GET", "/v1/events").headers(h -> h.put("Last-Event-ID", "seven")).send();
    assertEquals(400, r.getStatus());
    assertTrue(r.getContentAsString().contains("Last-Event-ID: "), r.getContentAsString());
  }

  @Test
  void journalSurvivesARestartAndSeqContinuesGapFree() throws Exception {
    Path home = Files.createDirectories(dir.resolve("restart"));
    List<JsonObject> before;
    try (Corrald d = Corrald.start(home);
        Api a = d.api()) {
      runToExit(a, "keep-1");
      before = stored(a, "?stored=1&after=0");
      d.stop();
      Fixtures.cleanUp(d);
    }
    try (Corrald d = Corrald.start(home);
        Api a = d.api()) {
      runToExit(a, "keep-2");
      List<JsonObject> after = stored(a, "?stored=1&after=0");
      assertEquals(before, after.subList(0, before.size()));
      assertContiguous(after);
      assertEquals(
          List.of("start-container", "exit", "delete"),
          types(after.subList(before.size(), after.size())));
      d.stop();
      Fixtures.cleanUp(d);
    }
  }

  /**
   * Runs containers on a daemon of its own under {@code name}, stops it, lets {@code damage} hurt
   * the last journal segment, starts it again: returns the events before and after, and the new
   * daemon's first new event (a container run after the restart).
   */
  private record Damaged(List<JsonObject> before, List<JsonObject> after, String log) {}

  private Damaged damageWhileDown(String name, int runs, Damage damage) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    List<JsonObject> before;
    try (Corrald d = Corrald.start(home);
        Api a = d.api()) {
      for (int i = 0; i < runs; i++) {
        runToExit(a, name + "-" + i);
      }
      // The last event is an exit: this container stays.
      Api.Reply r = a.post("/v1/containers", Fixtures.createBody(name + "-last", quick));
      assertEquals(201, r.status(), r.body());
      a.post("/v1/containers/" + name + "-last/wait", null);
      before = stored(a, "?stored=1&after=0");
      d.stop();
      Fixtures.cleanUp(d);
    }
    damage.apply(lastSegment(home.resolve("root/events")));
    try (Corrald d = Corrald.start(home);
        Api a = d.api()) {
      assertEquals(204, a.delete("/v1/containers/" + name + "-last").status());
      List<JsonObject> after = stored(a, "?stored=1&after=0");
      d.stop();
      Fixtures.cleanUp(d);
      return new Damaged(before, after, d.logText());
    }
  }

  private interface Damage {
    void apply(Path segment) throws Exception;
  }

  @Test
  void aTornJournalTailIsReportedLostAndNoSeqIsHandedOutTwice() throws Exception {
    Damaged r =
        damageWhileDown(
            "torn",
            1,
            segment -> {
              try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 5); // mid-way through the last record, the exit
              }
            });
    long lastBefore = lastSeq(r.before());
    assertEquals("exit", r.before().get(r.before().size() - 1).get("type").getAsString());
    assertEquals(
        r.before().subList(0, r.before().size() - 1), r.after().subList(0, r.before().size() - 1));
    JsonObject report = r.after().get(r.before().size() - 1);
    assertEquals("journal-damaged", report.get("type").getAsString(), r.after().toString());
    assertEquals(lastBefore, report.getAsJsonObject("lost").get("first").getAsLong());
    assertEquals(lastBefore, report.getAsJsonObject("lost").get("last").getAsLong());
    assertTrue(report.get("seq").getAsLong() > lastBefore, report.toString());
    assertNoSeqMissingSilently(r.after());
    assertTrue(r.log().contains("moved to"), r.log());
  }

  @Test
  void aFlippedByteMidSegmentLosesOneEventAndEveryValidEventAfterItIsRead() throws Exception {
    Damaged r =
        damageWhileDown(
            "flip",
            4,
            segment -> {
              byte[] b = Files.readAllBytes(segment);
              b[b.length / 2] ^= 0x10;
              Files.write(segment, b);
            });
    List<JsonObject> before = r.before();
    List<JsonObject> kept =
        r.after().stream().filter(e -> e.get("seq").getAsLong() <= lastSeq(before)).toList();
    assertEquals(before.size() - 1, kept.size(), kept.toString());
    assertTrue(before.containsAll(kept));
    JsonObject lostEvent = before.stream().filter(e -> !kept.contains(e)).findFirst().orElseThrow();
    long lost = lostEvent.get("seq").getAsLong();
    assertTrue(lost < lastSeq(before) - 3, "mid-segment: " + lost); // events after it were read
    JsonObject report = damageReport(r.after());
    assertEquals(lost, report.getAsJsonObject("lost").get("first").getAsLong());
    assertEquals(lost, report.getAsJsonObject("lost").get("last").getAsLong());
    assertNoSeqMissingSilently(r.after());
  }

  @Test
  void aZeroedSegmentDoesNotRestartSeq() throws Exception {
    Damaged r =
        damageWhileDown(
            "zero", 1, segment -> Files.write(segment, new byte[(int) Files.size(segment)]));
    long lastBefore = lastSeq(r.before());
    JsonObject report = damageReport(r.after());
    assertEquals(1, report.getAsJsonObject("lost").get("first").getAsLong());
    assertEquals(lastBefore, report.getAsJsonObject("lost").get("last").getAsLong());
    assertTrue(
        r.after().stream().allMatch(e -> e.get("seq").getAsLong() > lastBefore),
        r.after().toString());
    assertEquals("delete", r.after().get(r.after().size() - 1).get("type").getAsString());
    assertNoSeqMissingSilently(r.after());
  }

  static long lastSeq(List<JsonObject> events) {
    return events.get(events.size() - 1).get("seq").getAsLong();
  }

  static JsonObject damageReport(List<JsonObject> events) {
    List<JsonObject> reports =
        events.stream().filter(e -> e.get("type").getAsString().equals("journal-damaged")).toList();
    assertEquals(1, reports.size(), events.toString());
    return reports.get(0);
  }

  /**
   * Seqs strictly increase, and every seq missing between two events lies in the lost range of a
   * journal-damaged event that comes after the gap: a client never misses a number silently.
   */
  static void assertNoSeqMissingSilently(List<JsonObject> events) {
    for (int i = 1; i < events.size(); i++) {
      long prev = events.get(i - 1).get("seq").getAsLong();
      long seq = events.get(i).get("seq").getAsLong();
      assertTrue(seq > prev, events.toString());
      for (long missing = prev + 1; missing < seq; missing++) {
        long m = missing;
        boolean reported =
            events.subList(i, events.size()).stream()
                .filter(e -> e.has("lost"))
                .map(e -> e.getAsJsonObject("lost"))
                .anyMatch(l -> l.get("first").getAsLong() <= m && m <= l.get("last").getAsLong());
        assertTrue(reported, "seq " + m + " missing silently: " + events);
      }
    }
  }

  /** Creates each container (running `true`), waits for its exit, deletes it. */
  static void runToExit(Api a, String... ids) throws Exception {
    for (String id : ids) {
      Api.Reply r = a.post("/v1/containers", Fixtures.createBody(id, quick));
      assertEquals(201, r.status(), r.body());
      assertEquals(
          0, a.post("/v1/containers/" + id + "/wait", null).json().get("exitCode").getAsInt());
      assertEquals(204, a.delete("/v1/containers/" + id).status());
    }
  }

  /** A stream that must end by itself (stored=1), as a list of events. */
  static List<JsonObject> stored(Api a, String query) throws Exception {
    Api.Reply r = a.get("/v1/events" + query);
    assertEquals(200, r.status(), r.body());
    List<JsonObject> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        out.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return out;
  }

  static void assertContiguous(List<JsonObject> events) {
    for (int i = 1; i < events.size(); i++) {
      assertEquals(
          events.get(i - 1).get("seq").getAsLong() + 1,
          events.get(i).get("seq").getAsLong(),
          events.toString());
    }
  }

  static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.get("type").getAsString()).toList();
  }

  static String unixSeconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Path lastSegment(Path events) throws Exception {
    try (Stream<Path> s = Files.list(events)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".log"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }
}
