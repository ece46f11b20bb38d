package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paused container is still paused after a restart, and resumes. */
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
            Fixtures.cgroupDir("freezer", Fixtures.cgroupPath(second, "default", "frozen1"))
                .resolve("freezer.state");
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
}
