package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged state never kills a live workload: a container whose records are corrupted while the
 * daemon is down is still running after the restart, reported by a {@code recovered} event, and can
 * then be killed, waited for and deleted. A create interrupted by a SIGKILL of the daemon is
 * removed with everything it started, never quarantined. Real runc, conmon and busybox.
 */
class DamagedStateIT {
  /** The prestart hook's sleep: an argument no other process has, to find the hook by. */
  private static final String HOOK_SECONDS = "30.0417";

  @TempDir static Path shared;
  static Path bundle;
  @TempDir Path dir;
  private final DaemonChain daemons = new DaemonChain();

  @BeforeAll
  static void makeBundle() throws Exception {
    bundle = Fixtures.bundle(shared.resolve("sleeper"), "sleep", "100000");
  }

  @AfterEach
  void cleanUp() throws Exception {
    daemons.cleanUp();
  }

  private Corrald start() throws Exception {
    return daemons.start(dir);
  }

  private static void crash(Corrald d) throws InterruptedException {
    d.process.destroyForcibly();
    assertTrue(d.process.waitFor(30, TimeUnit.SECONDS));
  }

  /** Creates {@code id} and returns its init pid once its status record is on disk. */
  private static int createRunning(Corrald d, Api api, String id) throws Exception {
    Api.Reply r = api.post("/v1/containers", Fixtures.createBody(id, bundle));
    assertEquals(201, r.status(), r.body());
    Path status = file(d, id, "status.json");
    for (int i = 0; i < 400 && !Files.exists(status); i++) {
      Thread.sleep(25);
    }
    assertTrue(Files.exists(status));
    return r.json().get("pid").getAsInt();
  }

  /** A record where it lives: metadata and status under --root, the rest under --state. */
  private static Path file(Corrald d, String id, String name) {
    boolean persistent = List.of("container.json", "status.json").contains(name);
    return (persistent ? Fixtures.containerDir(d, id) : Fixtures.runDir(d, id)).resolve(name);
  }

  private static void corrupt(Corrald d, String id, String name) throws Exception {
    Files.writeString(file(d, id, name), "{\"id\": \"" + id + "\", \"sta");
  }

  private static boolean alive(int pid) {
    return Files.exists(Path.of("/proc/" + pid));
  }

  private static JsonObject get(Api api, String id) throws Exception {
    Api.Reply r = api.get("/v1/containers/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** The reason of the {@code recovered} event of {@code id}, replayed from the journal. */
  private static String recoveredReason(Api api, String id) throws Exception {
    try (Api.EventStream events = api.events("?after=0&id=" + id)) {
      return events.next("recovered", id).get("reason").getAsString();
    }
  }

  /** What is in ROOT/quarantine/NS/, for every namespace. */
  private static List<Path> quarantine(Corrald d) throws Exception {
    Path q = d.root.resolve("quarantine");
    if (!Files.isDirectory(q)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(q, 2)) {
      return s.filter(p -> p.getNameCount() == q.getNameCount() + 2).sorted().toList();
    }
  }

  /** Kills the init through the API; its exit is reported with 137, then it is deleted. */
  private static void killWaitDelete(Api api, String id, int pid) throws Exception {
    try (Api.EventStream events = api.events("?id=" + id)) {
      events.next("live", null);
      Api.Reply s = api.post("/v1/containers/" + id + "/signal", "{\"signal\": \"KILL\"}");
      assertEquals(204, s.status(), s.body());
      Api.Reply w = api.post("/v1/containers/" + id + "/wait", null);
      assertEquals(200, w.status(), w.body());
      assertEquals(137, w.json().get("exitCode").getAsInt(), w.body());
      assertEquals(137, events.next("exit", id).get("status").getAsInt());
      assertEquals(204, api.delete("/v1/containers/" + id).status());
      events.next("delete", id);
    }
    assertFalse(alive(pid));
  }

  @Test
  void corruptStatusOfARunningContainerKeepsItRunningAndReported() throws Exception {
    Corrald first = start();
    int pid;
    try (Api api = first.api()) {
      pid = createRunning(first, api, "st");
    }
    crash(first);
    corrupt(first, "st", "status.json");

    Corrald second = start();
    try (Api api = second.api()) {
      assertTrue(alive(pid), "the workload survived the restart");
      JsonObject c = get(api, "st");
      assertEquals("running", c.get("status").getAsString(), c.toString());
      assertEquals(pid, c.get("pid").getAsInt());
      assertTrue(recoveredReason(api, "st").contains("status.json"));
      assertEquals(List.of(), quarantine(second));
      killWaitDelete(api, "st", pid);
    }
  }

  @Test
  void corruptMetadataOfARunningContainerIsRebuiltNotKilled() throws Exception {
    Corrald first = start();
    int pid;
    try (Api api = first.api()) {
      pid = createRunning(first, api, "meta");
    }
    crash(first);
    corrupt(first, "meta", "container.json");

    Corrald second = start();
    try (Api api = second.api()) {
      assertTrue(alive(pid), "the workload survived the restart");
      JsonObject c = get(api, "meta");
      assertEquals("running", c.get("status").getAsString(), c.toString());
      assertEquals(pid, c.get("pid").getAsInt());
      assertTrue(recoveredReason(api, "meta").contains("container.json"));
      assertTrue(Fixtures.runcIds(second.root).contains("meta"));
      assertEquals(List.of(), quarantine(second));
      killWaitDelete(api, "meta", pid);
    }
  }

  @Test
  void runningContainerWithoutAKnownShimIsUnknownUntilAForcedDelete() throws Exception {
    Corrald first = start();
    int pid;
    try (Api api = first.api()) {
      pid = createRunning(first, api, "unk");
    }
    crash(first);
    corrupt(first, "unk", "container.json");
    corrupt(first, "unk", "shim.json");
    Files.delete(file(first, "unk", "conmon.pid"));

    Corrald second = start();
    try (Api api = second.api()) {
      assertTrue(alive(pid), "the workload survived the restart");
      JsonObject c = get(api, "unk");
      assertEquals("unknown", c.get("status").getAsString(), c.toString());
      assertEquals(pid, c.get("pid").getAsInt());
      assertTrue(recoveredReason(api, "unk").contains("unknown"));
      Api.Reply plain = api.delete("/v1/containers/unk");
      assertEquals(409, plain.status(), plain.body());
      Api.Reply pause = api.post("/v1/containers/unk/pause", null);
      assertEquals(409, pause.status(), pause.body());
      assertTrue(alive(pid));
      try (Api.EventStream events = api.events("?id=unk")) {
        events.next("live", null);
        assertEquals(204, api.delete("/v1/containers/unk?force=1").status());
        events.next("delete", "unk");
      }
      assertEquals(404, api.get("/v1/containers/unk").status());
      assertFalse(alive(pid), "a forced delete kills it");
      assertFalse(Fixtures.runcIds(second.root).contains("unk"));
      assertFalse(Files.exists(Fixtures.containerDir(second, "unk")));
      assertFalse(Files.exists(Fixtures.runDir(second, "unk")));
    }
  }

  @Test
  void createsInterruptedByASigkillAreRemovedNotQuarantined() throws Exception {
    Path slow = Fixtures.bundle(dir.resolve("slow"), "sleep", "100000");
    withPrestartHook(slow, "/usr/bin/sleep", HOOK_SECONDS);
    Corrald first = start();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Api api = first.api()) {
      pool.submit(() -> api.post("/v1/containers", Fixtures.createBody("slow", slow)));
      awaitProcessWithArg("slow"); // its conmon
      awaitProcessWithArg(HOOK_SECONDS); // runc create is stuck in the hook
      crash(first);
    } finally {
      pool.shutdownNow();
    }
    // Exactly what a create killed before it wrote its metadata leaves behind: its runtime dir
    // (made first, under --state) and an empty dir under --root.
    for (String d : List.of("bundle", "persist", "exits")) {
      Files.createDirectories(Fixtures.runDir(first, "early").resolve(d));
    }
    Files.createDirectories(Fixtures.containerDir(first, "early"));

    Corrald second = start();
    try (Api api = second.api()) {
      assertEquals(List.of(), quarantine(second));
      for (String id : List.of("slow", "early")) {
        assertEquals(404, api.get("/v1/containers/" + id).status());
        assertFalse(Files.exists(Fixtures.containerDir(second, id)), id);
        assertFalse(Files.exists(Fixtures.runDir(second, id)), id);
        assertFalse(Fixtures.runcIds(second.root).contains(id), id);
        assertFalse(Fixtures.processWithArg(id), "a process of " + id + " is left");
        assertFalse(cgroupLeft(second, id), "cgroup of " + id + " is left");
      }
      JsonArray list = api.get("/v1/containers").any().getAsJsonArray();
      assertEquals(0, list.size(), list.toString());
    }
  }

  private static void withPrestartHook(Path bundle, String path, String... args) throws Exception {
    Path cfg = bundle.resolve("config.json");
    JsonObject o = JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
    JsonObject hook = new JsonObject();
    hook.addProperty("path", path);
    JsonArray a = new JsonArray();
    a.add(path);
    for (String s : args) {
      a.add(s);
    }
    hook.add("args", a);
    JsonArray prestart = new JsonArray();
    prestart.add(hook);
    JsonObject hooks = new JsonObject();
    hooks.add("prestart", prestart);
    o.add("hooks", hooks);
    Files.writeString(cfg, o.toString());
  }

  /** Waits (a bound, not a timing check) for a process with {@code arg} on its command line. */
  private static void awaitProcessWithArg(String arg) throws Exception {
    for (int i = 0; i < 1200 && !Fixtures.processWithArg(arg); i++) {
      Thread.sleep(25);
    }
    assertTrue(Fixtures.processWithArg(arg), "no process with " + arg);
  }

  private static boolean cgroupLeft(Corrald d, String id) throws Exception {
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      return hierarchies.anyMatch(
          h -> Files.isDirectory(h.resolve(Fixtures.cgroupPath(d, "default", id).substring(1))));
    }
  }
}
