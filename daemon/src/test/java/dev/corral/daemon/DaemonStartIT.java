package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping corrald: refusals, permissions, stale sockets, live restore. */
class DaemonStartIT {
  @TempDir Path dir;

  /** A refused start on this test's own root (dir/r) and socket, with {@code extra} options. */
  private String refused(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--root",
                dir.resolve("r").toString(),
                "--socket",
                dir.resolve("s.sock").toString()));
    args.addAll(List.of(extra));
    return runToExit(dir, args.toArray(String[]::new));
  }

  private static String runToExit(Path dir, String... args) throws Exception {
    Path log = dir.resolve("refused.log");
    Process p = Corrald.launch(List.of(args), new String[0], log);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue());
    return Files.readString(log);
  }

  @Test
  void refusesToStartWithoutRunc() throws Exception {
    String out = refused("--runtime", "/nonexistent/runc");
    assertTrue(out.contains("runc") && out.contains("/nonexistent/runc"), out);
  }

  @Test
  void aRuntimeThatCannotSayItsVersionStopsTheStartBeforeRecovery() throws Exception {
    Path fake = dir.resolve("fake-runc");
    Files.writeString(fake, "#!/bin/sh\necho 'runc is broken' >&2\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    String out = refused("--runtime", fake.toString());
    assertTrue(out.contains("runc --version: runc is broken"), out);
    assertTrue(!out.contains("Recovery") && !out.contains("recovered"), out);
  }

  @Test
  void aSecondDaemonOnALiveRootIsRefusedBeforeItTouchesAnything() throws Exception {
    try (Corrald first = Corrald.start(dir);
        Api api = first.api()) {
      Path bundle = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
      assertEquals(
          201,
          api.post("/v1/containers", "{\"id\":\"keep\",\"bundle\":\"" + bundle + "\"}").status());
      String out =
          runToExit(
              dir,
              "--root",
              first.root.toString(),
              "--socket",
              dir.resolve("second.sock").toString(),
              "--cgroup-parent",
              first.cgroupParent);
      assertTrue(out.contains("in use by another corrald (pid " + first.process.pid() + ")"), out);
      assertTrue(!out.contains("Recovery"), out);
      assertEquals("running", api.get("/v1/containers/keep").json().get("status").getAsString());
      assertEquals(204, api.delete("/v1/containers/keep?force=1").status());
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingIsTouched() throws Exception {
    Path root = dir.resolve("r");
    String[][] cases = {
      {"--max-streams", "0", "--max-streams: 0 is not a positive number"},
      {"--events-retain", "0", "events-retain: must be at least 1, not 0"},
      {"--state-size", "1m,mode=777", "--state-size: 1m,mode=777 is not a size like 256m"},
    };
    for (String[] c : cases) {
      String out = refused(c[0], c[1]);
      assertTrue(out.contains(c[2]), out);
      assertTrue(!Files.exists(root), c[0] + ": no state dir for a refused start");
      assertTrue(!Files.exists(Corrald.stateOf(root)), c[0] + ": nor a state dir");
    }
  }

  @Test
  void refusesToStartWithoutConmon() throws Exception {
    String out = refused("--conmon", "/nonexistent/conmon");
    assertTrue(out.contains("conmon"), out);
  }

  @Test
  void socketAndRootHaveTightPermissionsAndInfoAnswers() throws Exception {
    try (Corrald d = Corrald.start(dir);
        Api api = d.api()) {
      assertEquals("rw-rw----", perms(d.socket));
      assertEquals("rwxr-x---", perms(d.socket.getParent()));
      assertEquals("rwx------", perms(d.root));
      JsonObject info = api.get("/v1/info").json();
      assertTrue(info.get("cpus").getAsInt() > 0);
      assertTrue(info.getAsJsonObject("runtime").get("version").getAsString().contains("runc"));
      assertTrue(info.getAsJsonObject("shim").get("version").getAsString().contains("conmon"));
      assertEquals("v1", api.get("/v1/version").json().get("apiVersion").getAsString());
    }
  }

  @Test
  void aStaleSocketIsReplacedAndALiveOneIsRefused() throws Exception {
    Corrald first = Corrald.start(dir);
    try {
      String out =
          runToExit(
              dir, "--root", dir.resolve("root2").toString(), "--socket", first.socket.toString());
      assertTrue(out.contains("another daemon"), out);
    } finally {
      first.process.destroyForcibly().waitFor(); // SIGKILL: the socket file stays behind, stale
    }
    assertTrue(Files.exists(first.socket));
    try (Corrald second = Corrald.start(dir);
        Api api = second.api()) {
      assertEquals(200, api.get("/v1/_ping").status());
    }
  }

  @Test
  void sigtermStopsServingAndLeavesContainersRunning() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
    Corrald d = Corrald.start(dir);
    int pid;
    try (Api api = d.api()) {
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody("survivor", b)).status());
      pid = api.get("/v1/containers/survivor").json().get("pid").getAsInt();
    }
    try {
      // The JVM exits 128+15 after its shutdown hook closed the daemon; systemd counts that as
      // clean.
      assertEquals(143, d.stop(), d.logText());
      assertTrue(Files.exists(Path.of("/proc/" + pid)), "the container died with the daemon");
      assertTrue(Fixtures.runcIds(d.root).contains("survivor"));
      assertTrue(!Files.exists(d.socket), "the socket should be removed on a clean stop");
    } finally {
      Fixtures.cleanUp(d);
    }
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
