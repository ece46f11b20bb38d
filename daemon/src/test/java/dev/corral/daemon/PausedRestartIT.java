package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restart finds inside running containers: a paused one is still paused and resumes; the
 * directories of finished execs are swept.
 */
class PausedRestartIT {
  @TempDir Path dir;

  @Test
  void aPausedContainerIsPausedAfterARestartAndCanBeResumed() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b"), "sleep", "1000");
    Corrald first = Corrald.start(dir);
    Corrald second = null;
    try {
      try (Api api = first.api()) {
        assertEquals(201, api.post("/v1/containers", Fixtures.createBody("frozen1", b)).status());
        assertEquals(200, api.post("/v1/containers/frozen1/pause", null).status());
      }
      first.process.destroyForcibly().waitFor(); // SIGKILL: no chance to record anything more
      second = Corrald.restart(first);
      try (Api api = second.api()) {
        assertEquals(
            "paused", api.get("/v1/containers/frozen1").json().get("status").getAsString());
        Api.Reply resumed = api.post("/v1/containers/frozen1/resume", null);
        assertEquals(200, resumed.status(), resumed.body());
        assertEquals("running", resumed.json().get("status").getAsString());
        Path state =
            Path.of("/sys/fs/cgroup/freezer" + second.cgroupParent, "frozen1", "freezer.state");
        assertEquals("THAWED", Files.readString(state).strip());
        assertEquals(204, api.delete("/v1/containers/frozen1?force=1").status());
      }
    } finally {
      if (second != null) {
        second.stop();
        Fixtures.cleanUp(second);
      } else {
        Fixtures.cleanUp(first);
      }
    }
  }

  @Test
  void finishedExecDirectoriesAreSweptAtRestart() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b2"), "sleep", "1000");
    Corrald first = Corrald.start(dir);
    Corrald second = null;
    try {
      try (Api api = first.api()) {
        assertEquals(201, api.post("/v1/containers", Fixtures.createBody("execs1", b)).status());
        String body = "{\"id\":\"%s\",\"args\":[%s]}";
        assertEquals(
            201,
            api.post("/v1/containers/execs1/processes", body.formatted("done", "\"true\""))
                .status());
        assertEquals(
            0,
            api.post("/v1/containers/execs1/processes/done/wait", null)
                .json()
                .get("exitCode")
                .getAsInt());
        assertEquals(
            201,
            api.post(
                    "/v1/containers/execs1/processes", body.formatted("live", "\"sleep\",\"1000\""))
                .status());
      }
      Path execs = first.root.resolve("containers/execs1/execs");
      assertEquals(true, Files.isDirectory(execs.resolve("done")));
      first.process.destroyForcibly().waitFor();
      second = Corrald.restart(first);
      assertEquals(false, Files.exists(execs.resolve("done")), "a finished exec's dir survived");
      assertEquals(true, Files.isDirectory(execs.resolve("live")), "a running exec lost its dir");
      try (Api api = second.api()) {
        assertEquals(204, api.delete("/v1/containers/execs1?force=1").status());
      }
    } finally {
      if (second != null) {
        second.stop();
        Fixtures.cleanUp(second);
      } else {
        Fixtures.cleanUp(first);
      }
    }
  }
}
