package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A real corrald with real runc, conmon and busybox: the whole path, end to end. */
class LifecycleIT extends SharedDaemon {
  @Test
  void exitCodeReachesWaitAndTheEventStream() throws Exception {
    try (Api.EventStream events = api.events("")) {
      assertEquals(200, events.status);
      events.next("live", null);
      Path b = Fixtures.bundle(dir.resolve("b-exit3"), "sh", "-c", "exit 3");
      Api.Reply created = api.post("/v1/containers", Fixtures.createBody("exit3", b));
      assertEquals(201, created.status(), created.body());
      assertEquals("exit3", created.json().get("id").getAsString());

      Api.Reply waited = api.post("/v1/containers/exit3/wait", null);
      assertEquals(200, waited.status(), waited.body());
      assertEquals(3, waited.json().get("exitCode").getAsInt());

      JsonObject start = events.next("start-container", "exit3");
      JsonObject exit = events.next("exit", "exit3");
      assertEquals(3, exit.get("status").getAsInt());
      assertEquals("init", exit.get("pid").getAsString());
      assertTrue(exit.get("seq").getAsLong() > start.get("seq").getAsLong());
      assertTrue(exit.get("timestamp").getAsString().matches(".*\\.\\d{9}Z"), exit.toString());

      assertEquals(204, api.delete("/v1/containers/exit3").status());
      events.next("delete", "exit3");
      assertEquals(404, api.get("/v1/containers/exit3").status());
      assertFalse(Files.exists(Fixtures.containerDir(daemon, "exit3")));
      assertFalse(Files.exists(Fixtures.runDir(daemon, "exit3")));
      assertFalse(Fixtures.runcIds(daemon.root).contains("exit3"));
    }
  }

  @Test
  void sleepKilledWithKillExits137() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-kill"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("kill9", b)).status());
    JsonObject c = api.get("/v1/containers/kill9").json();
    assertEquals("running", c.get("status").getAsString());
    assertTrue(c.get("pid").getAsInt() > 0);
    assertEquals(204, api.post("/v1/containers/kill9/signal", "{\"signal\":\"KILL\"}").status());
    assertEquals(
        137, api.post("/v1/containers/kill9/wait", null).json().get("exitCode").getAsInt());
    assertEquals(137, api.get("/v1/containers/kill9").json().get("exitCode").getAsInt());
    assertEquals(204, api.delete("/v1/containers/kill9").status());
  }

  /**
   * A container's init is pid 1 of its own pid namespace, and the kernel drops a TERM sent to such
   * an init unless it installed a handler (only KILL and STOP are forced). So the TERM case runs
   * sleep in the host's pid namespace, where TERM kills it: 128 + 15.
   */
  @Test
  void sleepKilledWithTermExits143() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-term"), "sleep", "1000");
    Fixtures.withoutPidNamespace(b);
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("term15", b)).status());
    assertEquals(
        204, api.post("/v1/containers/term15/signal", "{\"signal\":\"SIGTERM\"}").status());
    assertEquals(
        143, api.post("/v1/containers/term15/wait", null).json().get("exitCode").getAsInt());
    assertEquals(204, api.delete("/v1/containers/term15").status());
  }

  @Test
  void twentyConcurrentCreatesAllRunAndAllExitsAreSeen() throws Exception {
    int n = 20;
    Path b = Fixtures.bundle(dir.resolve("b-many"), "sleep", "1000");
    try (Api.EventStream events = api.events("?type=exit")) {
      events.next("live", null);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<Api.Reply>> creates = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = "many" + i;
        creates.add(pool.submit(() -> api.post("/v1/containers", Fixtures.createBody(id, b))));
      }
      for (Future<Api.Reply> f : creates) {
        assertEquals(201, f.get().status(), f.get().body());
      }
      pool.shutdown();
      assertEquals(
          n,
          api.get("/v1/containers").any().getAsJsonArray().asList().stream()
              .filter(e -> e.getAsJsonObject().get("id").getAsString().startsWith("many"))
              .filter(e -> e.getAsJsonObject().get("status").getAsString().equals("running"))
              .count());
      for (int i = 0; i < n; i++) {
        assertEquals(
            204, api.post("/v1/containers/many" + i + "/signal", "{\"signal\":9}").status());
      }
      Set<String> exited = new HashSet<>();
      while (exited.size() < n) {
        JsonObject e = events.next("exit", null);
        assertEquals(137, e.get("status").getAsInt());
        exited.add(e.get("id").getAsString());
      }
      for (int i = 0; i < n; i++) {
        assertEquals(204, api.delete("/v1/containers/many" + i).status());
      }
    }
  }

  @Test
  void forcedDeleteOfARunningContainerKillsItThenRemovesIt() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-force"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("forced", b)).status());
    Api.Reply refused = api.delete("/v1/containers/forced");
    assertEquals(409, refused.status());
    assertEquals("failed_precondition", refused.code());
    assertEquals(204, api.delete("/v1/containers/forced?force=1").status());
    assertEquals(404, api.get("/v1/containers/forced").status());
    assertFalse(Fixtures.processWithArg("forced"));
  }

  @Test
  void noJvmDescriptorLeaksIntoConmonOrTheContainer() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-fds"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("fds", b)).status());
    int init = api.get("/v1/containers/fds").json().get("pid").getAsInt();
    int conmon = ppid(init);
    Set<String> daemonSockets = sockets(daemon.process.pid());
    for (long pid : new long[] {conmon, init}) {
      for (String target : fdTargets(pid)) {
        assertFalse(target.endsWith(".jar"), pid + " holds " + target);
        assertFalse(daemonSockets.contains(target), pid + " holds the daemon's " + target);
      }
    }
    assertEquals(204, api.delete("/v1/containers/fds?force=1").status());
  }

  static int ppid(int pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(f[1]);
  }

  static List<String> fdTargets(long pid) throws Exception {
    List<String> out = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (java.io.IOException gone) {
          // closed meanwhile
        }
      }
    }
    return out;
  }

  static Set<String> sockets(long pid) throws Exception {
    Set<String> s = new HashSet<>();
    for (String t : fdTargets(pid)) {
      if (t.startsWith("socket:")) {
        s.add(t);
      }
    }
    return s;
  }
}
