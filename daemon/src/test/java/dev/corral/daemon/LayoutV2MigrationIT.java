package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root and state dir written by the last layout before namespaces (layout 2), by the real corrald
 * of that main built from git and killed with SIGKILL, are taken over by this one: every container
 * is in the default namespace, the running one and its exec still run and report their true exits,
 * the exited one keeps its code and its one exit event, logs are intact, and a container of another
 * namespace runs beside them.
 */
class LayoutV2MigrationIT {
  /** The last main with layout 2. */
  private static final String V2 = "889eace";

  @TempDir Path dir;
  private OldCorrald old;
  private Corrald current;
  private final String cgroup = "/corral-it-v2-" + Long.toHexString(System.nanoTime());

  @AfterEach
  void cleanUp() throws Exception {
    if (old != null) {
      old.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (current != null) {
      current.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Fixtures.cleanUp(dir.resolve("root"), cgroup);
  }

  @Test
  void aV2RootIsMigratedIntoTheDefaultNamespaceWithItsContainersRunning() throws Exception {
    Path sleeper =
        Fixtures.bundle(dir.resolve("sleeper"), "sh", "-c", "echo hi-run; exec sleep 100000");
    Path quick = Fixtures.bundle(dir.resolve("quick"), "sh", "-c", "echo hi-quick; exit 3");
    Path root = dir.resolve("root");
    Path state = Corrald.stateOf(root);
    old = OldCorrald.start(V2, dir, cgroup, true);
    int initPid;
    int execPid;
    try (Api api = old.api(dir)) {
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("run1", sleeper)).status());
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("ex3", quick)).status());
      assertEquals(3, api.post("/v1/containers/ex3/wait", null).json().get("exitCode").getAsInt());
      Api.Reply exec =
          api.post(
              "/v1/containers/run1/processes",
              "{\"id\":\"e1\",\"args\":[\"sh\",\"-c\",\"echo hi-exec; exec sleep 100000\"]}");
      assertEquals(201, exec.status(), exec.body());
      execPid = exec.json().get("pid").getAsInt();
      initPid = api.get("/v1/containers/run1").json().get("pid").getAsInt();
    }
    awaitStopped(root.resolve("containers/ex3/status.json"));
    old.kill(); // a crash: the containers stay up under their conmons

    // What layout 2 looks like, so the migration below has real work to do.
    assertEquals("2", Files.readString(root.resolve("layout")).strip());
    for (Path d :
        List.of(
            root.resolve("containers/run1"),
            state.resolve("containers/run1"),
            state.resolve("runc/run1"))) {
      assertTrue(Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS), d + " in layout 2");
    }
    assertFalse(Files.exists(root.resolve("namespaces")));
    assertTrue(alive(initPid) && alive(execPid), "the init and the exec outlive the old daemon");

    Corrald d = Corrald.startOn(dir, cgroup);
    current = d;
    assertEquals("3", Files.readString(d.root.resolve("layout")).strip());
    for (Path side : List.of(d.root, d.state)) {
      Path link = side.resolve("containers");
      assertTrue(Files.isSymbolicLink(link), link + " is left as a link");
      assertEquals(Path.of("namespaces/default/containers"), Files.readSymbolicLink(link));
    }
    assertEquals(
        Path.of("namespaces/default/runc"), Files.readSymbolicLink(d.state.resolve("runc")));
    for (Path moved :
        List.of(
            Fixtures.containerDir(d, "run1"),
            Fixtures.runDir(d, "run1"),
            Fixtures.runcRoot(d.root).resolve("run1"))) {
      assertTrue(
          Files.isDirectory(moved, java.nio.file.LinkOption.NOFOLLOW_LINKS), moved + " moved");
    }
    try (Api api = d.api()) {
      JsonObject run1 = api.get("/v1/containers/run1").json();
      assertEquals("running", run1.get("status").getAsString(), run1.toString());
      assertEquals("default", run1.get("namespace").getAsString(), run1.toString());
      assertEquals(initPid, run1.get("pid").getAsInt());
      JsonObject ex3 = api.get("/v1/containers/ex3").json();
      assertEquals("stopped", ex3.get("status").getAsString(), ex3.toString());
      assertEquals(3, ex3.get("exitCode").getAsInt(), ex3.toString());
      assertEquals("default", ex3.get("namespace").getAsString(), ex3.toString());
      assertEquals(Map.of("ex3", "default", "run1", "default"), list(api, null));
      assertEquals(
          "[{\"name\":\"default\",\"containers\":2,\"pods\":0}]",
          api.get("/v1/namespaces").any().toString());

      assertTrue(api.get("/v1/containers/ex3/logs").body().contains("hi-quick"));
      assertTrue(api.get("/v1/containers/run1/logs").body().contains("hi-run"));
      assertTrue(api.get("/v1/containers/run1/logs?pid=e1").body().contains("hi-exec"));
      String procs = api.get("/v1/containers/run1/processes").body();
      assertTrue(procs.contains("\"e1\"") && procs.contains(Integer.toString(execPid)), procs);
      assertTrue(alive(execPid), "the exec still runs");

      // The exec and the init, started by the old daemon, are signalled and reaped by this one.
      Api.Reply sig =
          api.post("/v1/containers/run1/signal", "{\"signal\":\"USR1\",\"pid\":\"e1\"}");
      assertEquals(204, sig.status(), sig.body());
      JsonObject e1 = api.post("/v1/containers/run1/processes/e1/wait", null).json();
      assertEquals(138, e1.get("exitCode").getAsInt(), e1.toString());
      assertEquals(204, api.post("/v1/containers/run1/signal", "{\"signal\":\"KILL\"}").status());
      JsonObject w = api.post("/v1/containers/run1/wait", null).json();
      assertEquals(137, w.get("exitCode").getAsInt(), w.toString());

      // The journal of the old daemon reads as the default namespace's; ex3's exit is not
      // reported again.
      List<JsonObject> exits =
          EventsIT.stored(api, "?stored=1&after=0&type=exit&id=ex3").stream()
              .filter(e -> e.get("type").getAsString().equals("exit"))
              .toList();
      assertEquals(1, exits.size(), exits.toString());
      assertEquals(3, exits.get(0).get("status").getAsInt());
      assertEquals("default", exits.get(0).get("namespace").getAsString());
      assertEquals(
          exits,
          EventsIT.stored(api, "?stored=1&after=0&type=exit&id=ex3&namespace=default").stream()
              .filter(e -> e.get("type").getAsString().equals("exit"))
              .toList());

      for (String id : List.of("run1", "ex3")) {
        Api.Reply del = api.delete("/v1/containers/" + id);
        assertEquals(204, del.status(), del.body());
      }
      assertEquals(List.of(), Fixtures.containerDirs(d.root));
      assertEquals(List.of(), Fixtures.containerDirs(d.state));
      assertTrue(Files.isDirectory(Fixtures.containersDir(d.root, "default")));
      assertEquals(List.of(), Fixtures.runcIds(d.root));

      // A container of another namespace runs normally on the migrated root.
      Api.Reply created =
          api.call("POST", "/v1/containers", Fixtures.createBody("n1", sleeper), "team");
      assertEquals(201, created.status(), created.body());
      int pid = created.json().get("pid").getAsInt();
      assertEquals("team", created.json().get("namespace").getAsString());
      assertTrue(Files.isDirectory(Fixtures.containerDir(d, "team", "n1")));
      assertTrue(Files.isRegularFile(Fixtures.runDir(d, "team", "n1").resolve("shim.json")));
      assertEquals(List.of("n1"), Fixtures.runcIdsAt(Fixtures.runcRoot(d.root, "team")));
      Path memory = Fixtures.cgroupDir("memory", Fixtures.cgroupPath(d, "team", "n1"));
      assertTrue(
          Files.readAllLines(memory.resolve("cgroup.procs")).contains(Integer.toString(pid)),
          memory.toString());
      assertEquals(Map.of("n1", "team"), list(api, "team"));
      assertEquals(Map.of(), list(api, null));
      String log = "";
      for (int i = 0; i < 400 && !log.contains("hi-run"); i++) {
        log = api.call("GET", "/v1/containers/n1/logs", null, "team").body();
        Thread.sleep(25);
      }
      assertTrue(log.contains("hi-run"), log);
      Api.Reply kill =
          api.call("POST", "/v1/containers/n1/signal", "{\"signal\":\"KILL\"}", "team");
      assertEquals(204, kill.status(), kill.body());
      Api.Reply waited = api.call("POST", "/v1/containers/n1/wait", null, "team");
      assertEquals(137, waited.json().get("exitCode").getAsInt(), waited.body());
      assertEquals(204, api.call("DELETE", "/v1/containers/n1", null, "team").status());
      assertEquals(204, api.delete("/v1/namespaces/team").status());
      assertFalse(Files.exists(d.root.resolve("namespaces/team")));
    }
  }

  /** GET /v1/containers in {@code ns} (the default when null): id to its namespace field. */
  private static Map<String, String> list(Api api, String ns) throws Exception {
    Api.Reply r =
        ns == null ? api.get("/v1/containers") : api.call("GET", "/v1/containers", null, ns);
    assertEquals(200, r.status(), r.body());
    Map<String, String> out = new TreeMap<>();
    for (JsonElement e : r.any().getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      out.put(c.get("id").getAsString(), c.get("namespace").getAsString());
    }
    return out;
  }

  private static boolean alive(int pid) {
    return Files.exists(Path.of("/proc/" + pid));
  }

  /** The status writer runs behind the reply: the crash must come after it wrote the exit. */
  private static void awaitStopped(Path status) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (Files.exists(status) && Files.readString(status).contains("\"stopped\"")) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no stopped status at " + status);
  }
}
