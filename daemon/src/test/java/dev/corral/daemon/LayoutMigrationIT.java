package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root written by the first layout (everything under --root), by the real corrald of that main
 * built from git, is taken over by this one on first start, through layout 2 to the current one in
 * one start: running containers still run and report their true exit, exited ones keep their codes,
 * execs and logs are there.
 */
class LayoutMigrationIT {
  /** The last main with the v1 layout. */
  private static final String V1 = "d52e1b5";

  @TempDir Path dir;
  private OldCorrald old;
  private Corrald current;
  private final String cgroup = "/corral-it-v1-" + Long.toHexString(System.nanoTime());

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
  void aV1RootIsMigratedWithItsContainersRunning() throws Exception {
    Path sleeper =
        Fixtures.bundle(dir.resolve("sleeper"), "sh", "-c", "echo hi-run; exec sleep 100000");
    Path quick = Fixtures.bundle(dir.resolve("quick"), "sh", "-c", "echo hi-quick; exit 3");
    old = OldCorrald.start(V1, dir, cgroup, false);
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
    }
    old.stop(); // SIGTERM: the containers stay up
    assertTrue(Files.exists(dir.resolve("root/runc/run1")), "a v1 root: runc state in the root");
    assertTrue(Files.isDirectory(dir.resolve("root/containers/run1/bundle")), "and the rest too");

    Corrald d = Corrald.startOn(dir, cgroup);
    current = d;
    assertEquals("3", Files.readString(d.root.resolve("layout")).strip());
    assertFalse(Files.exists(d.root.resolve("runc")));
    for (Path side : List.of(d.root, d.state)) {
      Path link = side.resolve("containers");
      assertTrue(Files.isSymbolicLink(link), link + " is left as a link");
      assertEquals(Path.of("namespaces/default/containers"), Files.readSymbolicLink(link));
    }
    assertEquals(
        Path.of("namespaces/default/runc"), Files.readSymbolicLink(d.state.resolve("runc")));
    // The v1 container's runtime half stays a link to its dir in the root, now in the namespace.
    Path runDir = Fixtures.runDir(d, "run1");
    assertTrue(Files.isSymbolicLink(runDir), runDir + " is a link");
    assertEquals(
        Fixtures.containerDir(d, "run1").toRealPath(), runDir.toRealPath(), "it reaches the root");
    assertTrue(Files.exists(Fixtures.runcRoot(d.root).resolve("run1/state.json")));
    try (Api api = d.api()) {
      JsonObject run1 = api.get("/v1/containers/run1").json();
      assertEquals("running", run1.get("status").getAsString(), run1.toString());
      JsonObject ex3 = api.get("/v1/containers/ex3").json();
      assertEquals(3, ex3.get("exitCode").getAsInt(), ex3.toString());
      assertTrue(api.get("/v1/containers/ex3/logs").body().contains("hi-quick"));
      assertTrue(api.get("/v1/containers/run1/logs").body().contains("hi-run"));
      assertTrue(api.get("/v1/containers/run1/logs?pid=e1").body().contains("hi-exec"));
      String procs = api.get("/v1/containers/run1/processes").body();
      assertTrue(procs.contains("\"e1\"") && procs.contains(Integer.toString(execPid)), procs);

      // The exec and the init, started by the old daemon, are signalled and reaped by this one.
      Api.Reply sig =
          api.post("/v1/containers/run1/signal", "{\"signal\":\"USR1\",\"pid\":\"e1\"}");
      assertEquals(204, sig.status(), sig.body());
      JsonObject e1 = api.post("/v1/containers/run1/processes/e1/wait", null).json();
      assertEquals(138, e1.get("exitCode").getAsInt(), e1.toString());
      assertEquals(204, api.post("/v1/containers/run1/signal", "{\"signal\":\"KILL\"}").status());
      JsonObject w = api.post("/v1/containers/run1/wait", null).json();
      assertEquals(137, w.get("exitCode").getAsInt(), w.toString());

      // A new container runs beside the migrated ones, in the current places.
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("new1", quick)).status());
      assertEquals(3, api.post("/v1/containers/new1/wait", null).json().get("exitCode").getAsInt());
      assertTrue(Files.isDirectory(Fixtures.runDir(d, "new1").resolve("bundle")));
      assertFalse(Files.isSymbolicLink(Fixtures.runDir(d, "new1")));
      assertTrue(Files.isDirectory(Fixtures.containerDir(d, "new1")));
      assertEquals("default", api.get("/v1/containers/run1").json().get("namespace").getAsString());
      for (String id : List.of("run1", "ex3", "new1")) {
        Api.Reply del = api.delete("/v1/containers/" + id);
        assertEquals(204, del.status(), del.body());
      }
    }
    d.stop();
    assertEquals(List.of(), Fixtures.runcIds(d.root));
    assertEquals(List.of(), Fixtures.containerDirs(d.root), "the v1 dirs go with their containers");
    assertEquals(List.of(), Fixtures.containerDirs(d.state), "and so do the links to them");
    assertTrue(Files.isDirectory(Fixtures.containersDir(d.root, "default")));
  }
}
