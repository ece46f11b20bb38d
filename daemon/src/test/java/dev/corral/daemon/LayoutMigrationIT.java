package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root written by the previous layout (everything under --root), by the real corrald of that main
 * built from git, is taken over by this one on first start: running containers still run and report
 * their true exit, exited ones keep their codes, execs and logs are there.
 */
class LayoutMigrationIT {
  /** The last main with the v1 layout. */
  private static final String V1 = "d52e1b5";

  @TempDir Path dir;
  private final List<Corrald> daemons = new ArrayList<>();
  private final String cgroup = "/corral-it-v1-" + Long.toHexString(System.nanoTime());

  @AfterEach
  void cleanUp() throws Exception {
    if (!daemons.isEmpty()) {
      Corrald last = daemons.get(daemons.size() - 1);
      last.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Fixtures.cleanUp(last);
    }
  }

  @Test
  void aV1RootIsMigratedWithItsContainersRunning() throws Exception {
    Path jars = v1Daemon();
    Path sleeper =
        Fixtures.bundle(dir.resolve("sleeper"), "sh", "-c", "echo hi-run; exec sleep 100000");
    Path quick = Fixtures.bundle(dir.resolve("quick"), "sh", "-c", "echo hi-quick; exit 3");
    Process old = startV1(jars);
    Path socket = dir.resolve("run/corral.sock");
    int execPid;
    try (Api api = new Api(socket)) {
      awaitPing(api, old);
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
    old.destroy(); // SIGTERM: the containers stay up
    assertTrue(old.waitFor(60, TimeUnit.SECONDS));
    assertTrue(Files.exists(dir.resolve("root/runc/run1")), "a v1 root: runc state in the root");

    Corrald d = Corrald.startOn(dir, cgroup);
    daemons.add(d);
    assertEquals("2", Files.readString(d.root.resolve("layout")).strip());
    assertFalse(Files.exists(d.root.resolve("runc")));
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

      // A new container runs beside the migrated ones, in the v2 places.
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("new1", quick)).status());
      assertEquals(3, api.post("/v1/containers/new1/wait", null).json().get("exitCode").getAsInt());
      assertTrue(Files.isDirectory(d.state.resolve("containers/new1/bundle")));
      for (String id : List.of("run1", "ex3", "new1")) {
        Api.Reply del = api.delete("/v1/containers/" + id);
        assertEquals(204, del.status(), del.body());
      }
    }
    d.stop();
    assertEquals(List.of(), Fixtures.runcIds(d.root));
    try (var s = Files.list(d.root.resolve("containers"))) {
      assertEquals(List.of(), s.toList(), "the v1 dirs go with their containers");
    }
    try (var s = Files.list(d.state.resolve("containers"))) {
      assertEquals(List.of(), s.toList(), "and so do the links to them");
    }
  }

  private Process startV1(Path jars) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-Djava.io.tmpdir=/var/tmp",
            "-cp",
            jars.resolve("corral-daemon.jar") + ":" + jars.resolve("lib") + "/*",
            "dev.corral.daemon.Main",
            "--root",
            dir.resolve("root").toString(),
            "--socket",
            dir.resolve("run/corral.sock").toString(),
            "--cgroup-parent",
            cgroup);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("v1-corrald.log").toFile())
        .start();
  }

  private void awaitPing(Api api, Process p) throws Exception {
    for (int i = 0; i < 1200 && p.isAlive(); i++) {
      try {
        if (api.get("/v1/_ping").status() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "v1 corrald did not serve:\n" + Files.readString(dir.resolve("v1-corrald.log")));
  }

  /**
   * The v1 daemon's jar and libs, built once from git into {@code /var/tmp} and reused by later
   * runs. CI has the whole history, so a missing commit is a failure, never a skip.
   */
  static Path v1Daemon() throws Exception {
    Path cache = Path.of("/var/tmp/corral-it-daemon-" + V1);
    if (Files.exists(cache.resolve("corral-daemon.jar"))) {
      return cache;
    }
    Path repo = Fixtures.scripts().getParent();
    Path src = Files.createTempDirectory(Path.of("/var/tmp"), "corral-it-v1-src");
    try {
      sh(src, "git -C '" + repo + "' archive --format=tar " + V1 + " | tar -x -C '" + src + "'");
      sh(src, "mvn -B -q -DskipTests package -pl daemon -am");
      Path built = Files.createTempDirectory(Path.of("/var/tmp"), "corral-it-v1-jars");
      Files.copy(
          src.resolve("daemon/target/corral-daemon.jar"), built.resolve("corral-daemon.jar"));
      sh(src, "cp -r daemon/target/lib '" + built + "/lib'");
      try {
        Files.move(built, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
        sh(src, "rm -rf '" + built + "'"); // another run built it meanwhile
      } catch (java.nio.file.DirectoryNotEmptyException raced) {
        sh(src, "rm -rf '" + built + "'");
      }
      return cache;
    } finally {
      sh(src.getParent(), "rm -rf '" + src + "'");
    }
  }

  private static void sh(Path cwd, String script) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", "set -o pipefail; " + script)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), script + ": timed out");
    assertEquals(0, p.exitValue(), script + ":\n" + out);
  }
}
