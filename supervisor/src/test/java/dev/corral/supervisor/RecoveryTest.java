package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.runtime.ProcStat;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.recovery.Recovery;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restarted daemon makes of each record in --root, decided without runc: this test process
 * stands in for a live conmon (its pid and real start time).
 */
class RecoveryTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final long SELF_START = ProcStat.startTime(SELF).orElseThrow();

  @TempDir Path tmp;
  private Harness h;
  private StateDir state;
  private Recovery recovery;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    state = h.state;
    recovery = new Recovery(h.runtime, state, Clock.systemUTC(), "/corral-unit-none");
  }

  private ContainerRecord record(String id) throws Exception {
    ContainerRecord r =
        new ContainerRecord(
            id,
            "/b",
            Map.of(),
            false,
            false,
            List.of(),
            "2026-11-23T16:28:46.284849964Z",
            null,
            null);
    state.create(r);
    return r;
  }

  private static StatusRecord running() {
    return new StatusRecord("running", 7, SELF, SELF_START, null, -1, null, null);
  }

  @Test
  void sameShimStillAliveIsRecoveredRunning() throws Exception {
    Optional<RecoveredContainer> r =
        recovery.resolve(
            record("live"), new ShimRecord(SELF, SELF_START, 7), Optional.of(running()));
    assertTrue(r.orElseThrow().running());
  }

  @Test
  void reusedPidWithAnotherStartTimeIsTreatedAsGone() throws Exception {
    ContainerRecord meta = record("reused");
    Files.writeString(state.paths(ContainerRef.of("reused")).exitFile(), "3");
    Optional<RecoveredContainer> r =
        recovery.resolve(meta, new ShimRecord(SELF, SELF_START + 1, 7), Optional.of(running()));
    RecoveredContainer.Exit exit = r.orElseThrow().exit();
    assertEquals(3, exit.code(), "the exit file decides, not the live process with that pid");
    assertNull(exit.reason());
    assertTrue(r.get().exitUnreported());
  }

  @Test
  void goneShimWithoutExitFileIsShimLost255WhenRuncKnowsNothing() throws Exception {
    ContainerRecord meta = record("lost");
    Optional<RecoveredContainer> r =
        recovery.resolve(meta, new ShimRecord(SELF, SELF_START + 1, 7), Optional.empty());
    assertEquals(
        new RecoveredContainer.Exit(255, r.get().exit().at(), "shim-lost"), r.get().exit());
  }

  @Test
  void goneShimWithRunningContainerIsKilledAndReported137() throws Exception {
    ContainerRecord meta = record("orphan");
    h.runtime.known.add("orphan");
    RecoveredContainer r =
        recovery
            .resolve(meta, new ShimRecord(SELF, SELF_START + 1, 7), Optional.of(running()))
            .orElseThrow();
    assertEquals(137, r.exit().code());
    assertTrue(h.runtime.calls.contains("kill orphan 9 --all"), h.runtime.calls.toString());
  }

  @Test
  void liveShimOfAStartNeverFinishedIsRemoved() throws Exception {
    ContainerRecord meta = record("half");
    Optional<RecoveredContainer> r =
        recovery.resolve(meta, new ShimRecord(SELF, SELF_START, 7), Optional.empty());
    assertTrue(r.isEmpty(), "runc does not know it: the start never got to run it");
  }

  /** Unreadable metadata runc knows nothing of cannot run: quarantined (DamagedRecoveryTest). */
  @Test
  void corruptFilesAreQuarantinedAndTheRestRecovered() throws Exception {
    record("good");
    state.writeShim(ContainerRef.of("good"), new ShimRecord(SELF, SELF_START, 7));
    state.writeStatus(ContainerRef.of("good"), running());
    record("bad");
    state.writeShim(ContainerRef.of("bad"), new ShimRecord(SELF, SELF_START, 7));
    Files.writeString(state.paths(ContainerRef.of("bad")).metadata(), "{\"id\": \"ba");
    List<RecoveredContainer> found = recovery.scan();
    assertEquals(List.of("good"), found.stream().map(r -> r.ref().id()).toList());
    assertFalse(Files.exists(state.containerDir(ContainerRef.of("bad"))));
    try (var q = Files.list(state.root().resolve("quarantine/default"))) {
      assertTrue(q.anyMatch(p -> p.getFileName().toString().startsWith("bad-")));
    }
  }

  @Test
  void recordWithoutShimIsAnInterruptedStartAndRemoved() throws Exception {
    record("inflight");
    assertTrue(recovery.scan().isEmpty());
    assertFalse(Files.exists(state.containerDir(ContainerRef.of("inflight"))));
  }

  @Test
  void exitWhileDownIsAnEventAndAnswersWaiters() throws Exception {
    ContainerRecord meta = record("gone");
    Files.writeString(state.paths(ContainerRef.of("gone")).exitFile(), "42");
    RecoveredContainer r =
        recovery
            .resolve(meta, new ShimRecord(SELF, SELF_START + 1, 7), Optional.empty())
            .orElseThrow();
    h.eventTypes();
    RecoverTask t = new RecoverTask(List.of(r), new Reply<>());
    h.handle(t);
    t.reply().await(T);
    assertEquals(List.of("exit(42)"), h.eventTypes());
    dev.corral.supervisor.task.WaitTask w =
        new dev.corral.supervisor.task.WaitTask(ContainerRef.of("gone"), new Reply<>());
    h.handle(w);
    assertEquals(42, w.reply().await(T).exitCode());
    assertEquals(
        Files.getLastModifiedTime(state.paths(ContainerRef.of("gone")).exitFile()).toInstant(),
        Instant.parse(w.reply().await(T).exitedAt()));
  }

  /** The last daemon journaled the exit and died before status.json said so: not reported again. */
  @Test
  void exitAlreadyInTheJournalIsNotReportedAgain() throws Exception {
    ContainerRecord meta = record("told");
    Files.writeString(state.paths(ContainerRef.of("told")).exitFile(), "42");
    h.events.emit(
        dev.corral.supervisor.event.EventType.START_CONTAINER,
        ContainerRef.of("told"),
        "init",
        null);
    h.events.emit(dev.corral.supervisor.event.EventType.EXIT, ContainerRef.of("told"), "init", 42);
    h.loop.endOfBatch();
    h.eventTypes();
    RecoveredContainer r =
        recovery
            .resolve(meta, new ShimRecord(SELF, SELF_START + 1, 7), Optional.of(running()))
            .orElseThrow();
    assertTrue(r.exitUnreported(), "status.json does not say stopped");
    RecoverTask t = new RecoverTask(List.of(r), new Reply<>());
    h.handle(t);
    t.reply().await(T);
    assertEquals(List.of(), h.eventTypes());
    assertEquals(
        "stopped", state.readStatus(ContainerRef.of("told")).status(), "now it is recorded");
  }
}
