package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers outlive the daemon: a SIGKILLed corrald is restarted on the same root and finds every
 * container again, with the exits that happened while it was down, real runc, conmon and busybox.
 */
class RestartIT {
  /** sh as init: each trapped signal exits with its own code; KILL gives 137. */
  private static final String TRAPS =
      "trap 'exit 3' USR1; trap 'exit 4' USR2; trap 'exit 5' HUP; trap 'exit 0' TERM;"
          + " sleep 100000 & wait";

  @TempDir static Path shared;
  static Path bundle;
  @TempDir Path dir;
  private final DaemonChain daemons = new DaemonChain();

  @BeforeAll
  static void makeBundle() throws Exception {
    bundle = Fixtures.bundle(shared.resolve("traps"), "sh", "-c", TRAPS);
  }

  @AfterEach
  void cleanUp() throws Exception {
    daemons.cleanUp();
  }

  private Corrald start(String... args) throws Exception {
    return daemons.start(dir, args);
  }

  private static void create(Api api, String id) throws Exception {
    Api.Reply r = api.post("/v1/containers", Fixtures.createBody(id, bundle));
    assertEquals(201, r.status(), r.body());
  }

  private static void crash(Corrald d) throws InterruptedException {
    d.process.destroyForcibly();
    assertTrue(d.process.waitFor(30, TimeUnit.SECONDS));
  }

  private static String runc(Corrald d, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("runc", "--root", Fixtures.runcRoot(d.root).toString()));
    cmd.addAll(List.of(args));
    return Fixtures.run(cmd.toArray(String[]::new));
  }

  private static JsonObject shim(Corrald d, String id) throws Exception {
    Path f = Fixtures.runDir(d, id).resolve("shim.json");
    return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
  }

  /** Polls for conmon's exit file: the init exited and conmon recorded its code. */
  private static void awaitExitFile(Corrald d, String id) throws Exception {
    Path exit = Fixtures.runDir(d, id).resolve("persist/exit");
    for (int i = 0; i < 600 && !Files.exists(exit); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(exit), "conmon wrote no exit file for " + id);
  }

  private static void awaitGone(int pid) throws Exception {
    for (int i = 0; i < 600 && Files.exists(Path.of("/proc/" + pid)); i++) {
      Thread.sleep(50);
    }
    assertFalse(Files.exists(Path.of("/proc/" + pid)), "pid " + pid + " still there");
  }

  private static JsonObject waitFor(Api api, String id) throws Exception {
    Api.Reply r = api.post("/v1/containers/" + id + "/wait", null);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Map<String, String> statuses(Api api) throws Exception {
    Map<String, String> out = new java.util.TreeMap<>();
    for (JsonElement e : api.get("/v1/containers").any().getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      out.put(c.get("id").getAsString(), c.get("status").getAsString());
    }
    return out;
  }

  /** A restarted daemon reads the inspect back, with the limits a PATCH applied. */
  @Test
  void theInspectAndTheLimitsAppliedSurviveARestart() throws Exception {
    Corrald first = start();
    try (Api api = first.api()) {
      create(api, "ins1");
      Api.Reply r = api.call("PATCH", "/v1/containers/ins1/resources", "{\"pids\":{\"limit\":77}}");
      assertEquals(200, r.status(), r.body());
      assertEquals("{\"pids\":{\"limit\":77}}", r.json().get("resources").toString());
    }
    crash(first);
    try (Api api = start().api()) {
      JsonObject c = api.get("/v1/containers/ins1").json();
      assertEquals("running", c.get("status").getAsString(), c.toString());
      assertEquals("{\"pids\":{\"limit\":77}}", c.get("resources").toString());
      assertEquals("sh", c.getAsJsonObject("process").getAsJsonArray("args").get(0).getAsString());
      assertEquals(bundle.toString(), c.get("bundle").getAsString());
      assertEquals(204, api.delete("/v1/containers/ins1?force=1").status());
    }
  }

  @Test
  void exitsWhileDownAreRecoveredAndTheRestStaySupervised() throws Exception {
    Corrald first = start();
    try (Api api = first.api()) {
      for (int i = 0; i < 10; i++) {
        create(api, "r" + i);
      }
    }
    crash(first);
    // While no daemon watches: four exit with distinct codes, a fifth loses its shim.
    String[][] signals = {{"r0", "USR1"}, {"r1", "USR2"}, {"r2", "HUP"}, {"r3", "KILL"}};
    for (String[] s : signals) {
      runc(first, "kill", s[0], s[1]);
    }
    int lostConmon = shim(first, "r4").get("conmonPid").getAsInt();
    Fixtures.run("kill", "-KILL", Integer.toString(lostConmon));
    awaitGone(lostConmon);
    for (String[] s : signals) {
      awaitExitFile(first, s[0]);
    }

    Corrald second = start();
    try (Api api = second.api()) {
      Map<String, Integer> codes = Map.of("r0", 3, "r1", 4, "r2", 5, "r3", 137, "r4", 137);
      for (var e : codes.entrySet()) {
        JsonObject w = waitFor(api, e.getKey());
        assertEquals((int) e.getValue(), w.get("exitCode").getAsInt(), e.getKey() + ": " + w);
      }
      assertEquals("shim-lost", waitFor(api, "r4").get("reason").getAsString());
      assertFalse(waitFor(api, "r0").has("reason"), "a real exit has no reason");
      Map<String, String> st = statuses(api);
      for (int i = 5; i < 10; i++) {
        assertEquals("running", st.get("r" + i), st.toString());
        Api.Reply sig = api.post("/v1/containers/r" + i + "/signal", "{\"signal\":\"USR1\"}");
        assertEquals(204, sig.status(), sig.body());
        assertEquals(3, waitFor(api, "r" + i).get("exitCode").getAsInt());
      }
      for (int i = 0; i < 10; i++) {
        Api.Reply del = api.delete("/v1/containers/r" + i);
        assertEquals(204, del.status(), del.body());
      }
      assertEquals(List.of(), Fixtures.runcIds(second.root));
    }
  }

  /**
   * A container found running at a restart is watched through its init's own pidfd again, not only
   * through conmon: killed afterwards, it is reported with the kernel's code even when conmon
   * cannot write its exit file (its dirs removed, as on a full disk), which conmon alone could not
   * report.
   */
  @Test
  void anExitAfterARestartComesWithTheKernelsCodeFromTheInitsPidfd() throws Exception {
    Corrald first = start();
    try (Api api = first.api()) {
      create(api, "k1");
    }
    crash(first);
    Corrald second = start();
    try (Api api = second.api();
        Api.EventStream events = api.events("?type=exit&id=k1")) {
      events.next("live", null);
      Path dir = containerDir(second, "k1");
      Fixtures.run("rm", "-rf", dir.resolve("persist").toString(), dir.resolve("exits").toString());
      Api.Reply sig = api.post("/v1/containers/k1/signal", "{\"signal\":\"HUP\"}");
      assertEquals(204, sig.status(), sig.body());
      JsonObject exit = events.next("exit", "k1");
      assertEquals(5, exit.get("status").getAsInt(), exit.toString());
      assertFalse(exit.has("reason") && !exit.get("reason").isJsonNull(), exit.toString());
      JsonObject w = waitFor(api, "k1");
      assertEquals(5, w.get("exitCode").getAsInt(), w.toString());
      assertFalse(Files.exists(dir.resolve("persist").resolve("exit")), "conmon wrote no file");
      assertEquals(204, api.delete("/v1/containers/k1").status());
    }
  }

  /**
   * The runtime dir of container {@code id} (the one with conmon's persist dir) under d's state.
   */
  private static Path containerDir(Corrald d, String id) throws Exception {
    try (Stream<Path> s = Files.walk(d.state, 5)) {
      return s.filter(p -> p.getFileName().toString().equals(id))
          .filter(p -> p.getParent().getFileName().toString().equals("containers"))
          .filter(p -> Files.isDirectory(p.resolve("persist")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no state dir of " + id + " in " + d.state));
    }
  }

  @Test
  void lostShimUnderALiveDaemonIsKilledReportedAndCleaned() throws Exception {
    Corrald d = start();
    try (Api api = d.api();
        Api.EventStream events = api.events("?id=lost")) {
      events.next("live", null);
      create(api, "lost");
      int conmon = shim(d, "lost").get("conmonPid").getAsInt();
      int init = shim(d, "lost").get("initPid").getAsInt();
      Fixtures.run("kill", "-KILL", Integer.toString(conmon));
      JsonObject w = waitFor(api, "lost");
      assertEquals(137, w.get("exitCode").getAsInt(), w.toString());
      assertEquals("shim-lost", w.get("reason").getAsString());
      JsonObject exit = events.next("exit", "lost");
      assertEquals(137, exit.get("status").getAsInt());
      assertEquals("shim-lost", exit.get("reason").getAsString());
      awaitGone(init);
      assertFalse(Fixtures.runcIds(d.root).contains("lost"), "runc state cleaned");
      assertEquals(204, api.delete("/v1/containers/lost").status());
    }
  }

  /**
   * A record that is unreadable and whose container runc shows stopped cannot run: it is moved to
   * quarantine and reported, and the rest are served. (A live one is kept: DamagedStateIT.)
   */
  @Test
  void corruptRecordOfAStoppedContainerIsQuarantinedReportedAndTheRestServed() throws Exception {
    Corrald first = start();
    try (Api api = first.api()) {
      create(api, "sound");
      create(api, "broken");
      awaitStatusFile(first, "broken");
    }
    crash(first);
    runc(first, "kill", "broken", "KILL");
    awaitExitFile(first, "broken");
    Path meta = Fixtures.containerDir(first, "broken").resolve("container.json");
    Files.writeString(meta, "{\"id\": \"bro");

    Corrald second = start();
    try (Api api = second.api();
        Api.EventStream events = api.events("?after=0&id=broken")) {
      assertEquals(404, api.get("/v1/containers/broken").status());
      assertEquals("running", statuses(api).get("sound"));
      try (Stream<Path> q = Files.list(second.root.resolve("quarantine/default"))) {
        assertTrue(q.anyMatch(p -> p.getFileName().toString().startsWith("broken-")));
      }
      assertTrue(
          events.next("quarantine", "broken").get("reason").getAsString().contains("stopped"));
      assertEquals(List.of("sound"), Fixtures.runcIds(second.root), "its stopped runc state goes");
      assertEquals(204, api.delete("/v1/containers/sound?force=1").status());
    }
  }

  private static void awaitStatusFile(Corrald d, String id) throws Exception {
    Path f = Fixtures.containerDir(d, id).resolve("status.json");
    for (int i = 0; i < 200 && !Files.exists(f); i++) {
      Thread.sleep(25);
    }
    assertTrue(Files.exists(f));
  }

  @Test
  void restartDuringTwentyStartsLeavesNothingCreatingAndNoOrphan() throws Exception {
    Corrald first = start();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try (Api api = first.api()) {
      for (int i = 0; i < 20; i++) {
        String id = "f" + i;
        pool.submit(() -> api.post("/v1/containers", Fixtures.createBody(id, bundle)));
      }
      awaitAnyShim(first);
      crash(first);
    } finally {
      pool.shutdownNow();
    }

    Corrald second = start();
    try (Api api = second.api()) {
      Map<String, String> st = statuses(api);
      assertFalse(st.containsValue("creating"), st.toString());
      Set<String> listed = st.keySet();
      assertEquals(new HashSet<>(Fixtures.runcIds(second.root)), listed, "runc holds only those");
      for (int i = 0; i < 20; i++) {
        String id = "f" + i;
        if (!listed.contains(id)) {
          assertFalse(Fixtures.processWithArg(id), "orphan process of " + id);
          assertFalse(Files.exists(Fixtures.containerDir(second, id)));
          assertFalse(Files.exists(Fixtures.runDir(second, id)));
        }
      }
      for (String id : listed) {
        assertEquals("running", st.get(id));
        assertEquals(204, api.delete("/v1/containers/" + id + "?force=1").status());
      }
    }
  }

  /** Returns once some start got past runc create, so the crash catches others in flight. */
  private static void awaitAnyShim(Corrald d) throws Exception {
    for (int i = 0; i < 600; i++) {
      Path runDirs = Fixtures.containersDir(d.state, "default");
      if (Files.isDirectory(runDirs)) {
        try (Stream<Path> s = Files.list(runDirs)) {
          if (s.anyMatch(c -> Files.exists(c.resolve("shim.json")))) {
            return;
          }
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no start got past runc create");
  }

  @Test
  void shutdownContainersStopsEveryContainerOnSigterm() throws Exception {
    Corrald d = start("--shutdown-containers", "--shutdown-grace", "1s");
    Path stubborn = Fixtures.bundle(dir.resolve("stubborn"), "sleep", "100000");
    try (Api api = d.api()) {
      create(api, "polite");
      Api.Reply r = api.post("/v1/containers", Fixtures.createBody("stubborn", stubborn));
      assertEquals(201, r.status(), r.body());
    }
    int polite = shim(d, "polite").get("initPid").getAsInt();
    int sleeper = shim(d, "stubborn").get("initPid").getAsInt();
    d.stop(); // 143, as for any JVM that ends on SIGTERM
    awaitGone(polite);
    awaitGone(sleeper);
    String log = d.logText();
    assertTrue(log.contains("container polite: stopped at shutdown, exit 0"), log);
    assertTrue(log.contains("container stubborn: stopped at shutdown, exit 137"), log);
  }
}
