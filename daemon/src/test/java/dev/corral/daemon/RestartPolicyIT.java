package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart policies, stop and start with real runc, conmon and busybox: the policy brings a
 * container back after an exit it did not ask for, never after a user's stop, and across a daemon
 * that was SIGKILLed while the container was down.
 */
class RestartPolicyIT {
  private static final String FAILS = "echo run; exit 1";
  // The trap first: a TERM that came before it would be ignored by the pid namespace's init.
  private static final String SERVES = "trap 'exit 0' TERM; echo hi; sleep 100000 & wait";

  @TempDir static Path shared;
  static Path fails;
  static Path serves;
  @TempDir Path dir;
  private final DaemonChain daemons = new DaemonChain();

  @BeforeAll
  static void makeBundles() throws Exception {
    fails = Fixtures.bundle(shared.resolve("fails"), "sh", "-c", FAILS);
    serves = Fixtures.bundle(shared.resolve("serves"), "sh", "-c", SERVES);
  }

  @AfterEach
  void cleanUp() throws Exception {
    daemons.cleanUp();
  }

  private Corrald start(String... args) throws Exception {
    return daemons.start(dir, args);
  }

  private static void create(Api api, String id, Path bundle, String policy) throws Exception {
    JsonObject o = JsonParser.parseString(Fixtures.createBody(id, bundle)).getAsJsonObject();
    o.add("restartPolicy", JsonParser.parseString(policy));
    Api.Reply r = api.post("/v1/containers", o.toString());
    assertEquals(201, r.status(), r.body());
  }

  private static JsonObject get(Api api, String id) throws Exception {
    Api.Reply r = api.get("/v1/containers/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Instant at(JsonObject event) {
    return Instant.parse(event.get("timestamp").getAsString());
  }

  /** The stored events of {@code id} of the given types, as "type" or "type(status)". */
  private static List<String> stored(Api api, String id, String types) throws Exception {
    Api.Reply r = api.get("/v1/events?stored=1&after=0&id=" + id + "&type=" + types);
    List<String> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        JsonObject e = JsonParser.parseString(line).getAsJsonObject();
        out.add(e.get("type").getAsString() + (e.has("status") ? "(" + e.get("status") + ")" : ""));
      }
    }
    return out;
  }

  /** Waits (a bound, not a timing check) until {@code id}'s log has a line {@code text}. */
  private static void awaitLogLine(Api api, String id, String text) throws Exception {
    for (int i = 0; i < 600 && logLines(api, id, text) == 0; i++) {
      Thread.sleep(25);
    }
    assertTrue(logLines(api, id, text) > 0, "no line " + text + " from " + id);
  }

  private static long logLines(Api api, String id, String text) throws Exception {
    Api.Reply r = api.get("/v1/containers/" + id + "/logs");
    assertEquals(200, r.status(), r.body());
    return r.body().lines().filter(l -> l.contains("\"" + text + "\\n\"")).count();
  }

  @Test
  void onFailureThreeRestartsThreeTimesWithGrowingGapsThenStaysExited() throws Exception {
    Corrald d = start("--restart-backoff", "300ms");
    try (Api api = d.api();
        Api.EventStream events = api.events("?id=f1&type=exit,start-container,restart")) {
      create(api, "f1", fails, "{\"name\": \"on-failure\", \"maximumRetryCount\": 3}");
      events.next("start-container", "f1");
      List<Duration> gaps = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        JsonObject exit = events.next("exit", "f1");
        assertEquals(1, exit.get("status").getAsInt());
        JsonObject started = events.next("start-container", "f1");
        JsonObject restart = events.next("restart", "f1");
        assertEquals(i, restart.get("restartCount").getAsInt(), restart.toString());
        gaps.add(Duration.between(at(exit), at(started)));
      }
      events.next("exit", "f1");
      // Each gap is at least its backoff, 300 ms doubling (the rest is the create, which a loaded
      // machine makes vary by more than the doublings, so the gaps are not compared directly).
      for (int i = 0; i < 3; i++) {
        Duration backoff = Duration.ofMillis(300L << i);
        assertTrue(gaps.get(i).compareTo(backoff) >= 0, "gap " + i + " of " + gaps);
      }
      // The next wait would be 2.4 s: after 3 s a fourth restart would have happened.
      Thread.sleep(3_000);
      JsonObject c = get(api, "f1");
      assertEquals("stopped", c.get("status").getAsString());
      assertEquals(3, c.get("restartCount").getAsInt());
      assertEquals(1, c.get("exitCode").getAsInt());
      assertEquals(3, stored(api, "f1", "restart").size());
      assertEquals(4, logLines(api, "f1", "run"), "each run appends to the one log");
      String metrics = api.get("/metrics").body();
      assertTrue(
          metrics.contains(
              "corral_container_restarts_total{name=\"f1\",namespace=\"default\"} 3.0"),
          "no restarts counter in the scrape");
    }
  }

  @Test
  void alwaysBringsBackAContainerKilledFromOutside() throws Exception {
    Corrald d = start();
    try (Api api = d.api();
        Api.EventStream events = api.events("?id=a1&type=exit,restart")) {
      create(api, "a1", serves, "{\"name\": \"always\"}");
      int pid = get(api, "a1").get("pid").getAsInt();
      Fixtures.run("kill", "-KILL", Integer.toString(pid));
      assertEquals(137, events.next("exit", "a1").get("status").getAsInt());
      assertEquals(1, events.next("restart", "a1").get("restartCount").getAsInt());
      JsonObject c = get(api, "a1");
      assertEquals("running", c.get("status").getAsString());
      assertNotEquals(pid, c.get("pid").getAsInt());
      assertEquals(1, c.get("restartCount").getAsInt());
    }
  }

  @Test
  void aUsersStopKeepsAnAlwaysContainerStoppedAndStartRunsItAgain() throws Exception {
    Corrald d = start();
    try (Api api = d.api()) {
      create(api, "s1", serves, "{\"name\": \"always\"}");
      awaitLogLine(api, "s1", "hi"); // its trap is set
      Api.Reply stop = api.post("/v1/containers/s1/stop", "{\"timeout\": 5}");
      assertEquals(200, stop.status(), stop.body());
      assertEquals("stopped", stop.json().get("status").getAsString());
      assertEquals(0, stop.json().get("exitCode").getAsInt()); // TERM was trapped: a clean exit
      // Ten times the backoff's floor: a restart would have come by now.
      Thread.sleep(1_000);
      assertEquals("stopped", get(api, "s1").get("status").getAsString());
      assertEquals(List.of("exit(0)", "stop"), stored(api, "s1", "exit,stop,restart"));
      Api.Reply again = api.post("/v1/containers/s1/stop", "{}");
      assertEquals(200, again.status(), again.body());

      Api.Reply start = api.post("/v1/containers/s1/start", null);
      assertEquals(200, start.status(), start.body());
      assertEquals("running", start.json().get("status").getAsString());
      assertEquals(409, api.post("/v1/containers/s1/start", null).status());
      for (int i = 0; i < 100 && logLines(api, "s1", "hi") < 2; i++) {
        Thread.sleep(50);
      }
      assertEquals(2, logLines(api, "s1", "hi"), "the second run appends to the log");
      assertEquals(
          List.of("start-container", "exit(0)", "stop", "start-container"),
          stored(api, "s1", "start-container,exit,stop"));
    }
  }

  @Test
  void anAlwaysContainerThatExitedWhileTheDaemonWasDownIsRestartedAndItsExitReportedOnce()
      throws Exception {
    Corrald first = start();
    int pid;
    try (Api api = first.api()) {
      create(api, "d1", serves, "{\"name\": \"always\"}");
      pid = get(api, "d1").get("pid").getAsInt();
    }
    first.process.destroyForcibly();
    assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
    Fixtures.run("kill", "-KILL", Integer.toString(pid));
    Path exitFile = Fixtures.runDir(first, "d1").resolve("persist/exit");
    for (int i = 0; i < 600 && !Files.exists(exitFile); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(exitFile), "conmon wrote no exit file");
    Corrald second = start();
    try (Api api = second.api();
        Api.EventStream events = api.events("?after=0&id=d1&type=restart")) {
      assertEquals(1, events.next("restart", "d1").get("restartCount").getAsInt());
      JsonObject c = get(api, "d1");
      assertEquals("running", c.get("status").getAsString());
      assertEquals(
          List.of("start-container", "exit(137)", "start-container", "restart"),
          stored(api, "d1", "start-container,exit,restart").stream()
              .map(s -> s.startsWith("restart") ? "restart" : s)
              .toList());
    }
  }

  @Test
  void badPoliciesAndStopsAre400sNamingTheFieldAndChangeNothing() throws Exception {
    Corrald d = start();
    try (Api api = d.api()) {
      String[][] bad = {
        {"{\"name\": \"sometimes\"}", "restartPolicy.name"},
        {
          "{\"name\": \"on-failure\", \"maximumRetryCount\": -1}", "restartPolicy.maximumRetryCount"
        },
        {"{\"name\": \"always\", \"maximumRetryCount\": 2}", "restartPolicy.maximumRetryCount"},
        {"{\"name\": \"always\", \"max\": 2}", "restartPolicy.max"},
        {"\"always\"", "restartPolicy"},
      };
      for (String[] b : bad) {
        JsonObject o = JsonParser.parseString(Fixtures.createBody("b1", serves)).getAsJsonObject();
        o.add("restartPolicy", JsonParser.parseString(b[0]));
        Api.Reply r = api.post("/v1/containers", o.toString());
        assertEquals(400, r.status(), r.body());
        assertTrue(r.message().startsWith(b[1] + ":"), r.body());
        assertEquals(404, api.get("/v1/containers/b1").status());
      }
      create(api, "b2", serves, "{\"name\": \"no\"}");
      for (String[] b : bad) {
        Api.Reply r = api.call("PATCH", "/v1/containers/b2", "{\"restartPolicy\": " + b[0] + "}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.message().startsWith(b[1] + ":"), r.body());
      }
      Api.Reply unknown = api.call("PATCH", "/v1/containers/b2", "{\"restart\": {}}");
      assertEquals(400, unknown.status());
      assertTrue(unknown.message().startsWith("restart:"), unknown.body());
      assertEquals("no", get(api, "b2").getAsJsonObject("restartPolicy").get("name").getAsString());
      Api.Reply negative = api.post("/v1/containers/b2/stop", "{\"timeout\": -1}");
      assertEquals(400, negative.status());
      assertTrue(negative.message().startsWith("timeout:"), negative.body());
      assertEquals("running", get(api, "b2").get("status").getAsString());
      Api.Reply ok =
          api.call(
              "PATCH",
              "/v1/containers/b2",
              "{\"restartPolicy\": {\"name\": \"on-failure\", \"maximumRetryCount\": 2}}");
      assertEquals(200, ok.status(), ok.body());
      JsonElement p = ok.json().get("restartPolicy");
      assertEquals(2, p.getAsJsonObject().get("maximumRetryCount").getAsInt());
      assertEquals(409, api.post("/v1/containers/b2/start", null).status());
    }
  }
}
