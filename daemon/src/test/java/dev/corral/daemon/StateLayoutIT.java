package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --root and --state apart: the state dir is a tmpfs the daemon mounts, a reboot (simulated by
 * killing every process and unmounting the tmpfs while the daemon is down) ends each container once
 * with host-restart and each can be started again from its spec saved under --root, deletes answer
 * before the trash is emptied and a crash in between leaves nothing, and temp files live in the
 * state dir only.
 */
class StateLayoutIT {
  @TempDir static Path shared;
  static Path sleeper;
  static Path quick;
  @TempDir Path dir;
  private final DaemonChain daemons = new DaemonChain();

  @BeforeAll
  static void makeBundles() throws Exception {
    sleeper = Fixtures.bundle(shared.resolve("sleeper"), "sleep", "100000");
    quick = Fixtures.bundle(shared.resolve("quick"), "sh", "-c", "echo out; exit 3");
  }

  @AfterEach
  void cleanUp() throws Exception {
    daemons.cleanUp();
  }

  private Corrald start() throws Exception {
    return daemons.start(dir);
  }

  private static void create(Api api, String id, Path bundle) throws Exception {
    Api.Reply r = api.post("/v1/containers", Fixtures.createBody(id, bundle));
    assertEquals(201, r.status(), r.body());
  }

  private static void crash(Corrald d) throws InterruptedException {
    d.process.destroyForcibly();
    assertTrue(d.process.waitFor(30, TimeUnit.SECONDS));
  }

  private static List<JsonObject> exits(Api api, String id) throws Exception {
    return EventsIT.stored(api, "?stored=1&after=0&type=exit&id=" + id).stream()
        .filter(e -> "exit".equals(e.get("type").getAsString()))
        .toList();
  }

  @Test
  void theStateDirIsATmpfsTheDaemonMountsAndKeepsAcrossRestarts() throws Exception {
    Corrald first = start();
    assertTrue(StateMounts.mounted(first.state), "a tmpfs on " + first.state);
    assertTrue(first.logText().contains("mounted a tmpfs there"), first.logText());
    try (Api api = first.api()) {
      create(api, "kept", sleeper);
    }
    assertTrue(Files.exists(Fixtures.runcRoot(first.root).resolve("kept/state.json")));
    assertFalse(Files.exists(first.root.resolve("runc")), "runc's state is not in the root");
    assertFalse(
        Files.exists(first.root.resolve("namespaces/default/runc")), "nor in the root's namespace");
    first.stop();
    Corrald second = start();
    assertFalse(second.logText().contains("mounted a tmpfs there"), "mounted once");
    try (Api api = second.api()) {
      JsonObject c = api.get("/v1/containers/kept").json();
      assertEquals("running", c.get("status").getAsString(), c.toString());
      assertEquals(204, api.delete("/v1/containers/kept?force=1").status());
    }
  }

  @Test
  void aRebootEndsEveryContainerOnceWithHostRestartAndTheDaemonServes() throws Exception {
    Corrald first = start();
    List<Integer> pids = new ArrayList<>();
    try (Api api = first.api()) {
      create(api, "r1", sleeper);
      create(api, "r2", sleeper);
      create(api, "done", quick);
      assertEquals(3, api.post("/v1/containers/done/wait", null).json().get("exitCode").getAsInt());
      for (String id : List.of("r1", "r2")) {
        JsonObject shim =
            JsonParser.parseString(
                    Files.readString(Fixtures.runDir(first, id).resolve("shim.json")))
                .getAsJsonObject();
        pids.add(shim.get("conmonPid").getAsInt());
        pids.add(shim.get("initPid").getAsInt());
      }
    }
    awaitStopped(first, "done");
    crash(first);
    simulateReboot(first, pids);

    Corrald second = start();
    try (Api api = second.api()) {
      for (String id : List.of("r1", "r2")) {
        JsonObject c = api.get("/v1/containers/" + id).json();
        assertEquals("stopped", c.get("status").getAsString(), c.toString());
        assertEquals(255, c.get("exitCode").getAsInt(), c.toString());
        assertEquals("host-restart", c.get("reason").getAsString(), c.toString());
        List<JsonObject> exits = exits(api, id);
        assertEquals(1, exits.size(), exits.toString());
        assertEquals(255, exits.get(0).get("status").getAsInt());
        assertEquals("host-restart", exits.get(0).get("reason").getAsString());
      }
      JsonObject done = api.get("/v1/containers/done").json();
      assertEquals(3, done.get("exitCode").getAsInt(), done.toString());
      assertEquals(1, exits(api, "done").size(), "its exit was reported before the reboot");
      String logs = api.get("/v1/containers/done/logs").body();
      assertTrue(logs.contains("out"), "logs outlive the reboot: " + logs);
    }
    second.stop();

    Corrald third = start();
    try (Api api = third.api()) {
      assertEquals(1, exits(api, "r1").size(), "reported once, not at every start");
      assertEquals(1, exits(api, "r2").size());
      // Each can run again: its runtime dir is remade from the spec saved under --root.
      Api.Reply again = api.post("/v1/containers/done/start", null);
      assertEquals(200, again.status(), again.body());
      assertEquals(3, api.post("/v1/containers/done/wait", null).json().get("exitCode").getAsInt());
      String logs = api.get("/v1/containers/done/logs").body();
      assertEquals(2, logs.split("\"out", -1).length - 1, "both runs' lines: " + logs);
      Api.Reply r2 = api.post("/v1/containers/r2/start", null);
      assertEquals(200, r2.status(), r2.body());
      assertEquals("running", r2.json().get("status").getAsString());
      assertEquals(204, api.post("/v1/containers/r2/signal", "{\"signal\":\"KILL\"}").status());
      assertEquals(137, api.post("/v1/containers/r2/wait", null).json().get("exitCode").getAsInt());
      assertEquals(204, api.delete("/v1/containers/r1").status());
      create(api, "r1", quick); // the id is free again, the daemon runs containers
      assertEquals(3, api.post("/v1/containers/r1/wait", null).json().get("exitCode").getAsInt());
      for (String id : List.of("r1", "r2", "done")) {
        assertEquals(204, api.delete("/v1/containers/" + id).status());
      }
    }
  }

  /** The status writer runs behind the reply; the reboot must come after it. */
  private static void awaitStopped(Corrald d, String id) throws Exception {
    Path status = Fixtures.containerDir(d, id).resolve("status.json");
    for (int i = 0; i < 500; i++) {
      if (Files.exists(status) && Files.readString(status).contains("\"stopped\"")) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no stopped status for " + id);
  }

  /**
   * What a reboot does to the daemon's containers: every process gone, the cgroups gone, the tmpfs
   * gone. The root stays.
   */
  private static void simulateReboot(Corrald d, List<Integer> pids) throws Exception {
    for (int pid : pids) {
      Fixtures.run("kill", "-KILL", Integer.toString(pid));
    }
    for (int pid : pids) {
      assertTrue(Fixtures.deadOrZombie(pid), "pid " + pid + " still runs");
    }
    for (String id : List.of("r1", "r2", "done")) {
      removeCgroups(d, id);
    }
    Fixtures.run("umount", "-l", d.state.toString());
    assertFalse(StateMounts.mounted(d.state));
  }

  private static void removeCgroups(Corrald d, String id) throws Exception {
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Path cg = h.resolve(Fixtures.cgroupPath(d, "default", id).substring(1));
        for (int i = 0; Files.isDirectory(cg) && i < 100; i++) {
          try {
            Files.delete(cg);
          } catch (java.io.IOException busy) {
            Thread.sleep(20); // the killed processes are still being reaped
          }
        }
      }
    }
  }

  @Test
  void aDaemonKilledRightAfterDeletesLeavesNothingAndTheIdsAreFree() throws Exception {
    Corrald first = start();
    List<String> ids = List.of("d1", "d2", "d3", "d4", "d5", "d6");
    try (Api api = first.api()) {
      for (String id : ids) {
        create(api, id, quick);
        api.post("/v1/containers/" + id + "/wait", null);
      }
      for (String id : ids) {
        List<Path> dirs =
            List.of(
                Fixtures.containerDir(first, id),
                Fixtures.runDir(first, id),
                Fixtures.runcRoot(first.root).resolve(id));
        dirs.forEach(p -> assertTrue(Files.isDirectory(p), p + " is where it is kept"));
        assertEquals(204, api.delete("/v1/containers/" + id).status());
        // Answered: the id is free at once, before the trash is emptied.
        dirs.forEach(p -> assertFalse(Files.exists(p), p.toString()));
      }
    }
    crash(first);

    Corrald second = start();
    try (Api api = second.api()) {
      for (Path trash : List.of(second.root.resolve("trash"), second.state.resolve("trash"))) {
        try (Stream<Path> s = Files.list(trash)) {
          assertEquals(List.of(), s.toList(), "swept at start: " + trash);
        }
      }
      assertEquals(List.of(), Fixtures.runcIds(second.root));
      for (String id : ids) {
        assertFalse(cgroupExists(second, id), "cgroup of " + id);
      }
      create(api, "d1", quick);
      assertEquals(3, api.post("/v1/containers/d1/wait", null).json().get("exitCode").getAsInt());
      assertEquals(204, api.delete("/v1/containers/d1").status());
    }
  }

  private static boolean cgroupExists(Corrald d, String id) throws Exception {
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      return hierarchies.anyMatch(
          h -> Files.exists(h.resolve(Fixtures.cgroupPath(d, "default", id).substring(1))));
    }
  }

  @Test
  void tempFilesLiveInTheStateDirAndAreSweptAtStart() throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("jvm-tmp"));
    Corrald first = Corrald.startWithTmpdir(dir, tmpdir);
    daemons.add(first);
    try (Api api = first.api()) {
      create(api, "t1", sleeper);
      Api.Reply exec =
          api.post(
              "/v1/containers/t1/processes", "{\"id\":\"e1\",\"args\":[\"sh\",\"-c\",\"exit 4\"]}");
      assertEquals(201, exec.status(), exec.body());
      api.post("/v1/containers/t1/processes/e1/wait", null);
      Api.Reply bad = api.post("/v1/containers/nosuch/signal", "{\"signal\":\"TERM\"}");
      assertEquals(404, bad.status());
      assertEquals(204, api.delete("/v1/containers/t1?force=1").status());
    }
    try (Stream<Path> s = Files.list(tmpdir)) {
      // jffi unpacks its stub there at start and deletes it at once; nothing else may appear.
      List<Path> made = s.filter(p -> !p.getFileName().toString().startsWith("jffi")).toList();
      assertEquals(List.of(), made, "files made outside the state dir");
    }
    first.stop();
    Files.writeString(first.state.resolve("tmp/corral-runc-1.log"), "left by a crash");
    Files.createDirectories(first.state.resolve("tmp/corral-exec-1"));
    Files.createDirectories(first.state.resolve("trash/x-1/run"));
    Corrald second = start();
    try (Stream<Path> s = Files.list(second.state.resolve("tmp"))) {
      assertEquals(List.of(), s.toList());
    }
    assertFalse(Files.exists(second.state.resolve("trash/x-1")));
  }
}
