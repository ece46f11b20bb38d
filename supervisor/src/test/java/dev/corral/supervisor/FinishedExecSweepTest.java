package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinishedExecSweepTest {
  @TempDir Path tmp;

  private static ContainerRecord meta(String id) {
    return new ContainerRecord(id, "/b", Map.of(), false, false, List.of(), "2026-11-23T00:00:00Z");
  }

  private static Path exec(StateDir state, String id, String exec, boolean exited)
      throws Exception {
    Path persist = Files.createDirectories(state.paths(id).execDir(exec).resolve("persist"));
    Files.writeString(state.paths(id).execDir(exec).resolve("process.json"), "{}");
    if (exited) {
      Files.writeString(persist.resolve("exit"), "0");
    }
    return state.paths(id).execDir(exec);
  }

  @Test
  void finishedExecsGoAndRunningOnesStay() throws Exception {
    StateDir state = StateDir.open(tmp);
    state.create(meta("run1"));
    state.create(meta("stop1"));
    Path done = exec(state, "run1", "done", true);
    Path live = exec(state, "run1", "live", false);
    Path killed = exec(state, "stop1", "killed", false);
    Created shim = new Created(10, 9, 1);
    RecoveredContainer running =
        new RecoveredContainer(meta("run1"), shim, Instant.now(), null, false);
    RecoveredContainer stopped =
        new RecoveredContainer(
            meta("stop1"),
            shim,
            Instant.now(),
            new RecoveredContainer.Exit(0, Instant.now(), null),
            true);

    OrphanSweep.sweepFinishedExecs(state, List.of(running, stopped));

    assertFalse(Files.exists(done), "a finished exec's dir stays behind");
    assertTrue(Files.exists(live), "a running exec lost its dir");
    assertFalse(Files.exists(killed), "an exec of a stopped container stays behind");
    assertTrue(Files.isDirectory(state.paths("run1").dir()));
  }
}
