package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.runtime.ProcStat;
import dev.corral.state.ContainerRecord;
import dev.corral.state.RestartFiles;
import dev.corral.state.RestartRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.recovery.Recovery;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that died in the middle of a restart, or between a restart and its status snapshot, and
 * the restart policy of containers found stopped at start. This test process stands in for a live
 * conmon (its pid and real start time).
 */
class RestartRecoveryTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final long SELF_START = ProcStat.startTime(SELF).orElseThrow();
  private static final String AT = "2026-11-23T16:28:46.284849964Z";

  @TempDir Path tmp;
  private Harness h;
  private StateDir state;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    state = h.state;
  }

  private void record(String id) throws Exception {
    state.create(new ContainerRecord(id, "/b", Map.of(), false, false, List.of(), AT, null, null));
  }

  private static StatusRecord stopped(int conmon, long start, int code) {
    return new StatusRecord("stopped", 7, conmon, start, AT, code, AT, null);
  }

  private List<RecoveredContainer> scan() throws Exception {
    return new Recovery(h.runtime, state, Clock.systemUTC(), "/corral-unit-none").scan();
  }

  @Test
  void aRestartCutShortIsTheStoppedContainerItBeganFrom() throws Exception {
    record("r1");
    // The previous run (conmon 1, long gone) exited 3; the new run got as far as its shim record.
    state.writeStatus(ContainerRef.of("r1"), stopped(1, 5, 3));
    RestartFiles.begin(state.paths(ContainerRef.of("r1")), stopped(1, 5, 3));
    state.writeShim(ContainerRef.of("r1"), new ShimRecord(2, 6, 8));
    Files.writeString(
        state.paths(ContainerRef.of("r1")).exitFile(), "137"); // the half-made run, killed
    RecoveredContainer r = scan().get(0);
    assertEquals(3, r.exit().code());
    assertFalse(r.exitUnreported(), "the marker is written after the exit was journaled");
    assertTrue(h.runtime.calls.contains("delete r1 --force"), "what the new run left is removed");
  }

  @Test
  void aStatusOfThePreviousRunDoesNotHideTheNewOne() throws Exception {
    record("r2");
    // The restart finished (new shim, marker gone) before the loop's running snapshot was written.
    state.writeStatus(ContainerRef.of("r2"), stopped(1, 5, 3));
    state.writeShim(ContainerRef.of("r2"), new ShimRecord(SELF, SELF_START, 8));
    h.runtime.known.add("r2");
    assertTrue(scan().get(0).running());
  }

  @Test
  void aStoppedAlwaysContainerIsRestartedAfterRecoveryAndUnlessStoppedIsNotIfTheUserStoppedIt()
      throws Exception {
    record("a1");
    record("u1");
    for (String id : List.of("a1", "u1")) {
      state.writeStatus(ContainerRef.of(id), stopped(1, 5, 0));
      state.writeShim(ContainerRef.of(id), new ShimRecord(1, 5, 7));
    }
    List<RecoveredContainer> found = scan();
    RecoverTask t =
        new RecoverTask(
            found,
            List.of(),
            Map.of(
                ContainerRef.of("a1"), new RestartRecord("always", 0, 2, true, 1),
                ContainerRef.of("u1"), new RestartRecord("unless-stopped", 0, 0, true, 0)),
            new Reply<>());
    h.handle(t);
    t.reply().await(T);
    assertEquals(1, h.delayed.size(), "only a1 is restarted");
    assertEquals(Duration.ofMillis(200), h.fire()); // its backoff state was kept
    GetContainersTask g = new GetContainersTask("default", "a1", Map.of(), new Reply<>());
    h.handle(g);
    assertEquals("running", g.reply().await(T).get(0).status());
    assertEquals(3, g.reply().await(T).get(0).restartCount());
    assertEquals(Optional.empty(), RestartFiles.interrupted(state.paths(ContainerRef.of("a1"))));
    assertFalse(RestartFiles.read(state.paths(ContainerRef.of("a1"))).orElseThrow().userStopped());
  }
}
