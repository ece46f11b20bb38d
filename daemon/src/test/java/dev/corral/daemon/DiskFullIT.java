package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk is a state, not a corruption: with {@code --root} on a 4 MB tmpfs filled to the last
 * page, creates answer 507 naming the path, reads, signals and deletes work, exits are still
 * reported, events wait in memory and reach the journal once space returns; after a restart every
 * event is there once and seq only goes up.
 */
class DiskFullIT {
  private static final String TRAPS = "trap 'exit 5' HUP; sleep 100000 & wait";
  private static final int SLEEPERS = 6;

  @TempDir Path dir;

  @Test
  void aFullDiskDelaysTheJournalAndLosesNoEvent() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path traps = Fixtures.bundle(dir.resolve("traps"), "sh", "-c", TRAPS);
    Path quick = Fixtures.bundle(dir.resolve("quick"), "true");
    Path events = root.resolve("events");
    Corrald d = null;
    try {
      mount(root, "4m");
      mount(events, "256k");
      d = Corrald.start(dir);
      List<JsonObject> before = whileFull(d, root, traps, quick);
      d.stop();
      Fixtures.cleanUp(d);
      d = Corrald.restart(d);
      try (Api a = d.api()) {
        List<JsonObject> after = EventsIT.stored(a, "?stored=1&after=0");
        assertEquals(before, after.subList(0, before.size()), "every event once, in order");
        EventsIT.assertContiguous(after); // nothing lost, nothing reused
        assertTrue(
            after.stream().noneMatch(e -> type(e).equals("journal-damaged")), after.toString());
      }
    } finally {
      if (d != null) {
        d.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Fixtures.cleanUp(d);
      }
      Fixtures.run("umount", "-l", events.toString());
      Fixtures.run("umount", "-l", root.toString());
    }
  }

  private List<JsonObject> whileFull(Corrald d, Path root, Path traps, Path quick)
      throws Exception {
    try (Api a = d.api()) {
      for (int i = 0; i < SLEEPERS; i++) {
        created(a.post("/v1/containers", Fixtures.createBody("s" + i, traps)));
      }
      created(a.post("/v1/containers", Fixtures.createBody("done", quick)));
      a.post("/v1/containers/done/wait", null);
      fillLastJournalPage(a, root);
      Path journalFiller = fill(root.resolve("events"));
      Path filler = fill(root);

      Api.Reply refused = a.post("/v1/containers", Fixtures.createBody("late", quick));
      assertEquals(507, refused.status(), refused.body());
      assertEquals("insufficient_storage", refused.code());
      assertTrue(refused.message().contains("ENOSPC"), refused.message());
      assertTrue(refused.message().contains(root.toString()), refused.message());
      assertEquals(404, a.get("/v1/containers/late").status());
      // An exec's records and conmon's files live on --state (a tmpfs), not on the full --root: it
      // still runs, and its exit is reported like the containers' below.
      Api.Reply exec = a.post("/v1/containers/s0/processes", "{\"id\":\"e1\",\"args\":[\"true\"]}");
      assertEquals(201, exec.status(), exec.body());
      assertEquals(
          0, a.post("/v1/containers/s0/processes/e1/wait", null).json().get("exitCode").getAsInt());
      // runc update writes only runc's state, on --state: it works on a full --root too.
      Api.Reply update =
          a.call("PATCH", "/v1/containers/s1/resources", "{\"pids\":{\"limit\":90}}");
      assertEquals(200, update.status(), update.body());

      Map<String, JsonObject> exits = exitWhileFull(a);
      JsonObject info = a.get("/v1/info").json();
      assertTrue(info.get("eventsUnjournaled").getAsLong() > 0, info + "\n" + d.logText());
      assertTrue(unjournaledMetric(a) > 0, "metric");
      assertEquals(200, a.get("/v1/containers").status());
      assertEquals(204, a.delete("/v1/containers/done").status());

      Files.delete(journalFiller);
      awaitJournaled(a);
      Files.delete(filler);
      List<JsonObject> events = EventsIT.stored(a, "?stored=1&after=0");
      EventsIT.assertContiguous(events);
      for (int i = 0; i < SLEEPERS; i++) {
        String id = "s" + i;
        assertEquals(1, events.stream().filter(e -> isExit(e, id)).count(), events.toString());
        assertEquals(
            exits.get(id).get("exitCode"),
            events.stream().filter(e -> isExit(e, id)).findFirst().orElseThrow().get("status"));
      }
      return events;
    }
  }

  /**
   * The journal appends into the page it last wrote, which a full tmpfs still holds: pause/resume
   * until less than 200 bytes of it are free, so the exits while full must wait for space.
   */
  private static void fillLastJournalPage(Api a, Path root) throws Exception {
    Path segment = EventsIT.lastSegment(root.resolve("events"));
    while (4096 - Files.size(segment) % 4096 > 200) {
      assertEquals(200, a.post("/v1/containers/s0/pause", null).status());
      assertEquals(200, a.post("/v1/containers/s0/resume", null).status());
    }
  }

  /** SIGHUP to every sleeper (each exits 5) and the wait of each, while the disk is full. */
  private static Map<String, JsonObject> exitWhileFull(Api a) throws Exception {
    Map<String, JsonObject> exits = new HashMap<>();
    for (int i = 0; i < SLEEPERS; i++) {
      Api.Reply r = a.post("/v1/containers/s" + i + "/signal", "{\"signal\":\"HUP\"}");
      assertEquals(204, r.status(), r.body());
    }
    Set<Integer> codes = new HashSet<>();
    for (int i = 0; i < SLEEPERS; i++) {
      JsonObject w = a.post("/v1/containers/s" + i + "/wait", null).json();
      exits.put("s" + i, w);
      codes.add(w.get("exitCode").getAsInt());
    }
    // A full disk may keep conmon from writing its exit file; the code comes from the init's
    // pidfd all the same.
    assertEquals(Set.of(5), codes, exits.toString());
    return exits;
  }

  /**
   * Polls the metric, which (unlike /v1/info) sends no task to the loop: the events must reach the
   * journal through the journal's own once-a-second retry, with no new batch to carry them.
   */
  private static void awaitJournaled(Api a) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (unjournaledMetric(a) > 0) {
      assertTrue(System.nanoTime() < deadline, "events still unjournaled after 60 s");
      Thread.sleep(100);
    }
    assertEquals(0, a.get("/v1/info").json().get("eventsUnjournaled").getAsLong());
  }

  private static double unjournaledMetric(Api a) throws Exception {
    for (String line : a.get("/metrics").body().split("\n")) {
      if (line.startsWith("corral_event_unjournaled ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no corral_event_unjournaled in /metrics");
  }

  /** The exit of container {@code id}'s init (an exec's exit carries the exec's id as pid). */
  private static boolean isExit(JsonObject e, String id) {
    return type(e).equals("exit")
        && e.has("id")
        && e.get("id").getAsString().equals(id)
        && "init".equals(e.get("pid").getAsString());
  }

  private static String type(JsonObject e) {
    return e.get("type").getAsString();
  }

  private static void created(Api.Reply r) {
    assertEquals(201, r.status(), r.body());
  }

  private static void mount(Path at, String size) throws Exception {
    Files.createDirectories(at);
    Process p =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", at.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mount: " + out);
  }

  /** Writes a file in {@code dir} until its disk is full; returns it. */
  private static Path fill(Path dir) throws IOException {
    Path filler = dir.resolve("filler");
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
    }
    return filler;
  }
}
