package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespaces through a real corrald: one id in three namespaces is three containers, each with its
 * own process, log, cgroup, state dirs, runc root, events and metrics; a namespace is deleted only
 * when empty, and then leaves nothing; a bad namespace name is a 400 that creates nothing; a
 * restart keeps every container in its namespace.
 */
class NamespacesIT extends SharedDaemon {
  /** sh as init: prints its namespace's marker; USR1 exits 3, USR2 exits 4, KILL gives 137. */
  private static final String TRAPS =
      "trap 'exit 3' USR1; trap 'exit 4' USR2; echo hello-$NS; sleep 100000 & wait";

  private static final List<String> NAMESPACES = List.of("default", "team", "blue");
  private static final Map<String, Path> BUNDLES = new TreeMap<>();

  @TempDir Path own;
  private final DaemonChain chain = new DaemonChain();

  @BeforeAll
  static void bundles() throws Exception {
    for (String ns : NAMESPACES) {
      BUNDLES.put(
          ns, Fixtures.bundle(dir.resolve("b-" + ns), "sh", "-c", "NS=" + ns + "; " + TRAPS));
    }
  }

  @AfterEach
  void cleanChain() throws Exception {
    chain.cleanUp();
  }

  /**
   * Creates {@code id} in {@code ns}: the default one without naming it, {@code team} by the
   * header, any other by the query parameter.
   */
  private static JsonObject create(Api a, String ns, String id) throws Exception {
    String body = Fixtures.createBody(id, BUNDLES.get(ns));
    Api.Reply r =
        switch (ns) {
          case "default" -> a.post("/v1/containers", body);
          case "team" -> a.call("POST", "/v1/containers", body, ns);
          default -> a.post("/v1/containers?namespace=" + ns, body);
        };
    assertEquals(201, r.status(), ns + ": " + r.body());
    assertEquals(ns, r.json().get("namespace").getAsString(), r.body());
    return r.json();
  }

  private static Api.Reply in(Api a, String ns, String method, String path) throws Exception {
    return a.call(method, path, null, ns);
  }

  private static JsonObject get(Api a, String ns, String id) throws Exception {
    Api.Reply r = in(a, ns, "GET", "/v1/containers/" + id);
    assertEquals(200, r.status(), ns + ": " + r.body());
    return r.json();
  }

  /** The containers GET /v1/containers lists in {@code ns}: id to its namespace field. */
  private static Map<String, String> list(Api a, String ns) throws Exception {
    Api.Reply r = in(a, ns, "GET", "/v1/containers");
    assertEquals(200, r.status(), r.body());
    Map<String, String> out = new TreeMap<>();
    for (JsonElement e : r.any().getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      out.put(c.get("id").getAsString(), c.get("namespace").getAsString());
    }
    return out;
  }

  /** GET /v1/namespaces as name to its container count. */
  private static Map<String, Integer> namespaces(Api a) throws Exception {
    Api.Reply r = a.get("/v1/namespaces");
    assertEquals(200, r.status(), r.body());
    Map<String, Integer> out = new TreeMap<>();
    for (JsonElement e : r.any().getAsJsonArray()) {
      JsonObject n = e.getAsJsonObject();
      assertEquals(0, n.get("pods").getAsInt(), n.toString());
      out.put(n.get("name").getAsString(), n.get("containers").getAsInt());
    }
    return out;
  }

  /** Polls the container's log until it holds {@code marker}; returns the whole log. */
  private static String awaitLog(Api a, String ns, String id, String marker) throws Exception {
    String body = "";
    for (int i = 0; i < 600 && !body.contains(marker); i++) {
      Api.Reply r = in(a, ns, "GET", "/v1/containers/" + id + "/logs");
      assertEquals(200, r.status(), r.body());
      body = r.body();
      if (!body.contains(marker)) {
        Thread.sleep(25);
      }
    }
    assertTrue(body.contains(marker), ns + "/" + id + " never logged " + marker + ": " + body);
    return body;
  }

  private static boolean cgroupAnywhere(String cgroupsPath) throws Exception {
    List<Path> hierarchies = new ArrayList<>(List.of(Path.of("/sys/fs/cgroup")));
    try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
      s.forEach(hierarchies::add);
    }
    return hierarchies.stream().anyMatch(h -> Files.exists(h.resolve(cgroupsPath.substring(1))));
  }

  /**
   * Each event but the stream markers as {@code TYPE NS/ID}, with the status of an exit; an event
   * with no namespace shows {@code ?} there.
   */
  private static List<String> summary(List<JsonObject> events) {
    List<String> out = new ArrayList<>();
    for (JsonObject e : events) {
      String type = e.get("type").getAsString();
      if (type.equals("live") || type.equals("lagged")) {
        continue;
      }
      String ns = e.has("namespace") ? e.get("namespace").getAsString() : "?";
      String id = e.has("id") ? e.get("id").getAsString() : "?";
      out.add(
          type
              + " "
              + ns
              + "/"
              + id
              + (type.equals("exit") ? " " + e.get("status").getAsInt() : ""));
    }
    return out;
  }

  @Test
  void oneIdInThreeNamespacesIsThreeContainersAndANamespaceGoesOnlyWhenEmpty() throws Exception {
    try (Api.EventStream teamEvents = api.events("?namespace=team");
        Api.EventStream allEvents = api.events("");
        Api.EventStream headerEvents = api.events("", "team")) {
      teamEvents.next("live", null);
      allEvents.next("live", null);
      headerEvents.next("live", null);
      Map<String, Integer> pids = new TreeMap<>();
      for (String ns : NAMESPACES) {
        pids.put(ns, create(api, ns, "c1").get("pid").getAsInt());
      }
      assertEquals(3, pids.values().stream().distinct().count(), "three processes: " + pids);

      for (String ns : NAMESPACES) {
        JsonObject c = get(api, ns, "c1");
        assertEquals(ns, c.get("namespace").getAsString(), c.toString());
        assertEquals("running", c.get("status").getAsString(), c.toString());
        assertEquals((int) pids.get(ns), c.get("pid").getAsInt(), c.toString());
        assertTrue(Files.exists(Path.of("/proc/" + pids.get(ns))), ns + "'s init runs");

        // Its own log, and no other's.
        String log = awaitLog(api, ns, "c1", "hello-" + ns);
        for (String other : NAMESPACES) {
          if (!other.equals(ns)) {
            assertFalse(log.contains("hello-" + other), ns + "'s log holds " + other + ": " + log);
          }
        }

        // Its own cgroup, holding its own init.
        Path memory = Fixtures.cgroupDir("memory", Fixtures.cgroupPath(daemon, ns, "c1"));
        assertTrue(Files.isDirectory(memory), memory + " is its cgroup");
        List<String> procs = Files.readAllLines(memory.resolve("cgroup.procs"));
        assertTrue(procs.contains(Integer.toString(pids.get(ns))), memory + ": " + procs);

        // Its own dirs and runc root.
        assertTrue(
            Files.isRegularFile(Fixtures.containerDir(daemon, ns, "c1").resolve("container.json")));
        assertTrue(Files.isRegularFile(Fixtures.runDir(daemon, ns, "c1").resolve("shim.json")));
        assertEquals(List.of("c1"), Fixtures.runcIdsAt(Fixtures.runcRoot(daemon.root, ns)), ns);

        // Listed in its namespace only.
        assertEquals(Map.of("c1", ns), list(api, ns), ns);
      }
      assertEquals(Map.of("c1", "default"), list(api, "default"));
      assertEquals(Map.of("c1", "blue"), list(api, "blue"), "the query parameter names it too");
      assertEquals(Map.of("blue", 1, "default", 1, "team", 1), namespaces(api));

      // A signal reaches the container of the namespace named, and no other.
      Api.Reply sig = api.call("POST", "/v1/containers/c1/signal", "{\"signal\":\"USR2\"}", "team");
      assertEquals(204, sig.status(), sig.body());
      Api.Reply waited = in(api, "team", "POST", "/v1/containers/c1/wait");
      assertEquals(4, waited.json().get("exitCode").getAsInt(), waited.body());
      assertEquals("running", get(api, "default", "c1").get("status").getAsString());
      assertEquals("running", get(api, "blue", "c1").get("status").getAsString());

      // Not empty: 409 naming the namespace, and nothing of it goes.
      Api.Reply busy = api.delete("/v1/namespaces/team");
      assertEquals(409, busy.status(), busy.body());
      assertTrue(busy.message().contains("team"), busy.message());
      assertTrue(Files.isDirectory(Fixtures.containerDir(daemon, "team", "c1")));
      assertEquals(200, in(api, "team", "GET", "/v1/containers/c1").status());

      Api.Reply del = in(api, "team", "DELETE", "/v1/containers/c1");
      assertEquals(204, del.status(), del.body());
      assertEquals(404, in(api, "team", "GET", "/v1/containers/c1").status());
      assertEquals("running", get(api, "default", "c1").get("status").getAsString());
      assertEquals(Map.of("blue", 1, "default", 1, "team", 0), namespaces(api));

      Api.Reply gone = api.delete("/v1/namespaces/team");
      assertEquals(204, gone.status(), gone.body());
      assertFalse(Files.exists(daemon.root.resolve("namespaces/team")));
      assertFalse(Files.exists(daemon.state.resolve("namespaces/team")));
      assertFalse(cgroupAnywhere(daemon.cgroupParent + "/team"), "the namespace's cgroup");
      assertEquals(Map.of("blue", 1, "default", 1), namespaces(api));
      assertEquals(Map.of(), list(api, "team"));
      assertEquals(404, api.delete("/v1/namespaces/team").status());

      Api.Reply unknown = api.delete("/v1/namespaces/nosuch");
      assertEquals(404, unknown.status(), unknown.body());
      assertTrue(unknown.message().contains("nosuch"), unknown.message());
      Api.Reply dflt = api.delete("/v1/namespaces/default");
      assertEquals(409, dflt.status(), dflt.body());
      assertTrue(dflt.message().contains("default"), dflt.message());

      // Events: the filtered stream saw team's life and nothing else; the unfiltered ones (the
      // header filters nothing) saw every namespace's. team's delete is the last event of all.
      for (Api.EventStream s : List.of(teamEvents, allEvents, headerEvents)) {
        s.next("delete", "c1", "team");
      }
      List<String> team = summary(teamEvents.received);
      assertEquals(
          List.of("start-container team/c1", "exit team/c1 4", "delete team/c1"), team, "team");
      for (Api.EventStream s : List.of(allEvents, headerEvents)) {
        List<String> all = summary(s.received);
        for (String e :
            List.of(
                "start-container default/c1",
                "start-container team/c1",
                "start-container blue/c1",
                "exit team/c1 4",
                "delete team/c1")) {
          assertTrue(all.contains(e), e + " not in " + all);
        }
        assertEquals(team, all.stream().filter(e -> e.contains(" team/")).toList());
      }
    } finally {
      for (String ns : List.of("default", "blue")) {
        in(api, ns, "DELETE", "/v1/containers/c1?force=1");
      }
      api.delete("/v1/namespaces/blue");
    }
    assertEquals(Map.of("default", 0), namespaces(api));
    assertEquals(List.of(), Fixtures.containerDirs(daemon.root));
    assertEquals(List.of(), Fixtures.containerDirs(daemon.state));
  }

  @Test
  void everyOperationActsOnTheContainerOfTheNamespaceNamed() throws Exception {
    int defaultPid = create(api, "default", "c2").get("pid").getAsInt();
    int teamPid = create(api, "team", "c2").get("pid").getAsInt();
    try {
      // Limits: team's cgroup gets them, default's keeps its own.
      Api.Reply patched =
          api.call(
              "PATCH", "/v1/containers/c2/resources", "{\"memory\":{\"limit\":67108864}}", "team");
      assertEquals(200, patched.status(), patched.body());
      assertEquals(67108864L, memoryLimit("team", "c2"));
      assertNotEquals(67108864L, memoryLimit("default", "c2"));
      Api.Reply stats = in(api, "team", "GET", "/v1/containers/c2/stats");
      assertEquals(200, stats.status(), stats.body());
      assertEquals(67108864, stats.json().getAsJsonObject("memory").get("limit").getAsLong());
      JsonObject defaultMemory =
          api.get("/v1/containers/c2/stats").json().getAsJsonObject("memory");
      assertTrue(defaultMemory.get("usage").getAsLong() > 0, defaultMemory.toString());
      assertFalse(
          defaultMemory.has("limit") && defaultMemory.get("limit").getAsLong() == 67108864,
          defaultMemory.toString());

      // Pause: team's freezes, default's runs on.
      Api.Reply paused = in(api, "team", "POST", "/v1/containers/c2/pause");
      assertEquals(200, paused.status(), paused.body());
      assertEquals("paused", get(api, "team", "c2").get("status").getAsString());
      assertEquals("running", get(api, "default", "c2").get("status").getAsString());
      Path freezer = Fixtures.cgroupDir("freezer", Fixtures.cgroupPath(daemon, "team", "c2"));
      if (Files.exists(freezer.resolve("freezer.state"))) {
        assertEquals("FROZEN", Files.readString(freezer.resolve("freezer.state")).strip());
      }
      Api.Reply resumed = in(api, "team", "POST", "/v1/containers/c2/resume");
      assertEquals(200, resumed.status(), resumed.body());
      assertEquals("running", get(api, "team", "c2").get("status").getAsString());

      // Execs with the same id in both: each runs in its own container, with its own log.
      for (String ns : List.of("default", "team")) {
        Api.Reply e =
            api.call(
                "POST",
                "/v1/containers/c2/processes",
                "{\"id\":\"e1\",\"args\":[\"sh\",\"-c\",\"echo exec-"
                    + ns
                    + "; cat /proc/1/cmdline\"]}",
                ns);
        assertEquals(201, e.status(), ns + ": " + e.body());
        Api.Reply w = in(api, ns, "POST", "/v1/containers/c2/processes/e1/wait");
        assertEquals(0, w.json().get("exitCode").getAsInt(), ns + ": " + w.body());
      }
      for (String ns : List.of("default", "team")) {
        String log = in(api, ns, "GET", "/v1/containers/c2/logs?pid=e1").body();
        String other = ns.equals("team") ? "default" : "team";
        assertTrue(log.contains("exec-" + ns), ns + ": " + log);
        assertTrue(log.contains("NS=" + ns), ns + "'s exec ran in its container: " + log);
        assertFalse(log.contains("exec-" + other), ns + ": " + log);
        String procs = in(api, ns, "GET", "/v1/containers/c2/processes").body();
        assertTrue(procs.contains("\"e1\""), ns + ": " + procs);
      }
      assertEquals(defaultPid, get(api, "default", "c2").get("pid").getAsInt());
      assertEquals(teamPid, get(api, "team", "c2").get("pid").getAsInt());
    } finally {
      for (String ns : List.of("default", "team")) {
        assertEquals(204, in(api, ns, "DELETE", "/v1/containers/c2?force=1").status(), ns);
      }
      assertEquals(204, api.delete("/v1/namespaces/team").status());
    }
  }

  @Test
  void aRestartPolicyRunsTheContainerAgainInItsNamespace() throws Exception {
    Path fails = Fixtures.bundle(dir.resolve("b-fails"), "sh", "-c", "echo run; exit 1");
    try (Api.EventStream events = api.events("?namespace=team&id=r1&type=exit,restart")) {
      events.next("live", null);
      JsonObject o =
          com.google.gson.JsonParser.parseString(Fixtures.createBody("r1", fails))
              .getAsJsonObject();
      assertEquals(201, api.post("/v1/containers", o.toString()).status());
      o.add(
          "restartPolicy",
          com.google.gson.JsonParser.parseString(
              "{\"name\": \"on-failure\", \"maximumRetryCount\": 2}"));
      Api.Reply created = api.call("POST", "/v1/containers", o.toString(), "team");
      assertEquals(201, created.status(), created.body());
      for (int i = 1; i <= 2; i++) {
        events.next("exit", "r1", "team");
        JsonObject restart = events.next("restart", "r1", "team");
        assertEquals(i, restart.get("restartCount").getAsInt(), restart.toString());
      }
      events.next("exit", "r1", "team");
      JsonObject team = get(api, "team", "r1");
      assertEquals(2, team.get("restartCount").getAsInt(), team.toString());
      assertEquals("stopped", team.get("status").getAsString(), team.toString());
      JsonObject dflt = get(api, "default", "r1");
      assertEquals(0, dflt.get("restartCount").getAsInt(), dflt.toString());
      String teamLog = in(api, "team", "GET", "/v1/containers/r1/logs").body();
      assertEquals(3, teamLog.lines().filter(l -> l.contains("run")).count(), teamLog);
      String defaultLog = api.get("/v1/containers/r1/logs").body();
      assertEquals(1, defaultLog.lines().filter(l -> l.contains("run")).count(), defaultLog);
      assertEquals(List.of("r1"), Fixtures.runcIdsAt(Fixtures.runcRoot(daemon.root, "team")));
      assertTrue(
          api.get("/metrics")
              .body()
              .contains("corral_container_restarts_total{name=\"r1\",namespace=\"team\"} 2.0"),
          "the restarts counter carries the namespace");
      for (JsonObject e : events.received) {
        String type = e.get("type").getAsString();
        assertTrue(
            type.equals("live") || e.get("namespace").getAsString().equals("team"), e.toString());
      }
    } finally {
      api.delete("/v1/containers/r1?force=1");
      in(api, "team", "DELETE", "/v1/containers/r1?force=1");
      api.delete("/v1/namespaces/team");
    }
    assertEquals(Map.of("default", 0), namespaces(api));
  }

  /** The memory limit of a container's cgroup (v1 memory.limit_in_bytes, or v2 memory.max). */
  private static long memoryLimit(String ns, String id) throws Exception {
    Path memory = Fixtures.cgroupDir("memory", Fixtures.cgroupPath(daemon, ns, id));
    Path v1 = memory.resolve("memory.limit_in_bytes");
    String value = Files.readString(Files.exists(v1) ? v1 : memory.resolve("memory.max")).strip();
    return value.equals("max") ? Long.MAX_VALUE : Long.parseLong(value);
  }

  @Test
  void aBadNamespaceIsA400NamingWhereItCameFromAndCreatesNothing() throws Exception {
    List<String> rootBefore = names(daemon.root.resolve("namespaces"));
    List<String> stateBefore = names(daemon.state.resolve("namespaces"));
    String body = Fixtures.createBody("bad1", BUNDLES.get("default"));

    Api.Reply header = api.call("POST", "/v1/containers", body, "../x");
    assertEquals(400, header.status(), header.body());
    assertEquals("invalid_argument", header.code());
    assertTrue(header.message().startsWith("Corral-Namespace"), header.message());

    for (String query : List.of("a/b", "a%2Fb", "..")) {
      Api.Reply q = api.post("/v1/containers?namespace=" + query, body);
      assertEquals(400, q.status(), query + ": " + q.body());
      assertEquals("invalid_argument", q.code());
      assertTrue(q.message().startsWith("namespace"), q.message());
    }
    Api.Reply list = api.call("GET", "/v1/containers", null, "../x");
    assertEquals(400, list.status(), list.body());
    assertTrue(list.message().startsWith("Corral-Namespace"), list.message());
    Api.Reply events = api.get("/v1/events?namespace=a%2Fb");
    assertEquals(400, events.status(), events.body());
    assertTrue(events.message().startsWith("namespace"), events.message());
    Api.Reply badDelete = api.delete("/v1/namespaces/-x");
    assertEquals(400, badDelete.status(), badDelete.body());
    assertTrue(badDelete.message().startsWith("namespace"), badDelete.message());

    assertEquals(rootBefore, names(daemon.root.resolve("namespaces")));
    assertEquals(stateBefore, names(daemon.state.resolve("namespaces")));
    assertFalse(Files.exists(dir.resolve("x")));
    assertFalse(Files.exists(daemon.root.resolve("x")));
    for (String ns : List.of("x", "a", "..")) {
      assertFalse(cgroupAnywhere(daemon.cgroupParent + "/" + ns + "/bad1"), ns);
    }
    assertFalse(Fixtures.processWithArg("bad1"), "a conmon was started");
    assertEquals(404, api.get("/v1/containers/bad1").status());
    assertFalse(namespaces(api).containsKey("x"));
  }

  private static List<String> names(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theCgroupSeriesOfAContainerCarryItsNamespace() throws Exception {
    create(api, "team", "c1");
    try {
      String series =
          "container_memory_usage_bytes{id=\""
              + Fixtures.cgroupPath(daemon, "team", "c1")
              + "\",name=\"c1\",namespace=\"team\"}";
      String text = "";
      for (int i = 0; i < 200 && !text.contains(series); i++) {
        Api.Reply r = api.get("/metrics");
        assertEquals(200, r.status(), r.body());
        text = r.body();
        if (!text.contains(series)) {
          Thread.sleep(50); // the loop publishes its live containers once per batch
        }
      }
      assertTrue(MetricsIT.value(text, series) > 0, series + " in:\n" + text);
      assertFalse(
          text.contains("name=\"c1\",namespace=\"default\""), "no series for a c1 of default");
    } finally {
      assertEquals(204, in(api, "team", "DELETE", "/v1/containers/c1?force=1").status());
      assertEquals(204, api.delete("/v1/namespaces/team").status());
    }
  }

  @Test
  void aRestartKeepsEachContainerInItsNamespaceAndReportsEachExitOnce() throws Exception {
    Path base = Files.createDirectories(own.resolve("restart"));
    Corrald first = chain.start(base);
    int defaultPid;
    try (Api a = first.api()) {
      defaultPid = create(a, "default", "c1").get("pid").getAsInt();
      create(a, "team", "c1");
    }
    first.process.destroyForcibly();
    assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
    // While no daemon watches, team's c1 exits 4; default's keeps running.
    Fixtures.run(
        "runc", "--root", Fixtures.runcRoot(first.root, "team").toString(), "kill", "c1", "USR2");
    Path exitFile = Fixtures.runDir(first, "team", "c1").resolve("persist/exit");
    for (int i = 0; i < 600 && !Files.exists(exitFile); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(exitFile), "conmon wrote no exit file for team/c1");

    Corrald second = chain.start(base);
    try (Api a = second.api()) {
      JsonObject dflt = get(a, "default", "c1");
      assertEquals("running", dflt.get("status").getAsString(), dflt.toString());
      assertEquals(defaultPid, dflt.get("pid").getAsInt());
      assertEquals("default", dflt.get("namespace").getAsString());
      JsonObject team = get(a, "team", "c1");
      assertEquals("stopped", team.get("status").getAsString(), team.toString());
      assertEquals(4, team.get("exitCode").getAsInt(), team.toString());
      assertEquals("team", team.get("namespace").getAsString());
      assertEquals(Map.of("default", 1, "team", 1), namespaces(a));
      assertEquals(Map.of("c1", "team"), list(a, "team"));

      Api.Reply sig = a.post("/v1/containers/c1/signal", "{\"signal\":\"USR1\"}");
      assertEquals(204, sig.status(), sig.body());
      assertEquals(3, a.post("/v1/containers/c1/wait", null).json().get("exitCode").getAsInt());
      assertEquals(4, get(a, "team", "c1").get("exitCode").getAsInt(), "team's is not touched");
    }
    second.stop();

    Corrald third = chain.start(base);
    try (Api a = third.api()) {
      for (String ns : List.of("default", "team")) {
        List<JsonObject> exits = exits(a, ns);
        assertEquals(1, exits.size(), ns + ": " + exits);
        assertEquals(ns.equals("team") ? 4 : 3, exits.get(0).get("status").getAsInt());
        assertEquals(ns, exits.get(0).get("namespace").getAsString());
        assertEquals(ns.equals("team") ? 4 : 3, get(a, ns, "c1").get("exitCode").getAsInt());
      }
      for (String ns : List.of("default", "team")) {
        assertEquals(204, in(a, ns, "DELETE", "/v1/containers/c1").status());
      }
      assertEquals(List.of(), Fixtures.containerDirs(third.root));
    }
    third.stop();

    // An empty namespace is found again from its dirs, and deleted with them.
    Corrald fourth = chain.start(base);
    try (Api a = fourth.api()) {
      assertEquals(Map.of("default", 0, "team", 0), namespaces(a));
      assertEquals(204, a.delete("/v1/namespaces/team").status());
      assertFalse(Files.exists(fourth.root.resolve("namespaces/team")));
      assertFalse(Files.exists(fourth.state.resolve("namespaces/team")));
      assertFalse(cgroupAnywhere(fourth.cgroupParent + "/team"), "the namespace's cgroup");
      assertEquals(Map.of("default", 0), namespaces(a));
    }
  }

  /** The exits of c1 the journal holds for namespace {@code ns}. */
  private static List<JsonObject> exits(Api a, String ns) throws Exception {
    return EventsIT.stored(a, "?stored=1&after=0&type=exit&id=c1&namespace=" + ns).stream()
        .filter(e -> e.get("type").getAsString().equals("exit"))
        .toList();
  }
}
