package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcStat;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ExecRecord;
import dev.corral.state.StateDir;
import dev.corral.supervisor.recovery.ExecRecovery;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restarted daemon makes of each exec directory, decided without runc or conmon: this test
 * process, or a {@code sleep} it starts, stands in for a live conmon (pid and real start time).
 */
class ExecRecoveryTest {
  private static final Duration T = Duration.ofSeconds(1);
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final long SELF_START = ProcStat.startTime(SELF).orElseThrow();

  @TempDir Path tmp;
  private Harness h;
  private StateDir state;
  private ExecRecovery recovery;
  private Process spawned;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    state = h.state;
    recovery = new ExecRecovery(h.runtime, state, Clock.systemUTC());
    state.create(
        new ContainerRecord(
            "c1", "/b", Map.of(), false, false, List.of(), "2026-11-23T00:00:00Z", null, null));
  }

  @AfterEach
  void tearDown() {
    if (spawned != null) {
      spawned.descendants().forEach(ProcessHandle::destroyForcibly);
      spawned.destroyForcibly();
    }
  }

  private static RecoveredContainer container(boolean running) {
    ContainerRecord meta =
        new ContainerRecord(
            "c1", "/b", Map.of(), false, false, List.of(), "2026-11-23T00:00:00Z", null, null);
    RecoveredContainer.Exit exit =
        running ? null : new RecoveredContainer.Exit(0, Instant.now(), null);
    return new RecoveredContainer(
        meta, new Created(7, SELF, SELF_START), Instant.now(), exit, !running);
  }

  private static ExecRecord exec(String id, int conmon, long conmonStart) {
    return new ExecRecord(
        id, List.of("sleep", "9"), false, false, 4242, 99, conmon, conmonStart, null, null, null);
  }

  private ExecRecord written(ExecRecord r) throws Exception {
    Files.createDirectories(
        state.paths(ContainerRef.of("c1")).execDir(r.execId()).resolve("persist"));
    state.writeExec(ContainerRef.of("c1"), r);
    return r;
  }

  @Test
  void recordReadBackIsTheOneWritten() throws Exception {
    ExecRecord r = written(exec("e1", SELF, SELF_START).withExit(3, "2026-11-23T00:00:01Z", null));
    assertEquals(r, state.readExec(ContainerRef.of("c1"), "e1").orElseThrow());
    assertEquals(List.of("e1"), state.execIds(ContainerRef.of("c1")));
  }

  @Test
  void reportedExitIsStoppedWithItsRecordedCode() throws Exception {
    ExecRecord r =
        written(exec("e1", SELF, SELF_START + 1).withExit(3, "2026-11-23T00:00:01Z", null));
    RecoveredExec x = recovery.execs(container(true)).get(0);
    assertEquals(new RecoveredContainer.Exit(3, Instant.parse(r.exitedAt()), null), x.exit());
    assertFalse(x.exitUnrecorded(), "its exit was reported by the last daemon");
  }

  @Test
  void sameConmonStillAliveIsRunning() throws Exception {
    written(exec("e1", SELF, SELF_START));
    RecoveredExec x = recovery.execs(container(true)).get(0);
    assertTrue(x.running());
    assertEquals(List.of(), h.runtime.calls, "nothing is killed");
  }

  @Test
  void goneConmonWithExitFileExitedWhileDown() throws Exception {
    written(exec("e1", SELF, SELF_START + 1)); // a reused pid: another start time
    Path exitFile = state.paths(ContainerRef.of("c1")).execExitFile("e1");
    Files.writeString(exitFile, "7");
    RecoveredExec x = recovery.execs(container(true)).get(0);
    assertEquals(
        new RecoveredContainer.Exit(7, Files.getLastModifiedTime(exitFile).toInstant(), null),
        x.exit());
    assertTrue(x.exitUnrecorded());
  }

  @Test
  void goneConmonWithoutExitFileKillsTheExecAndReports137() throws Exception {
    written(exec("e1", SELF, SELF_START + 1));
    RecoveredExec x = recovery.execs(container(true)).get(0);
    assertEquals(137, x.exit().code());
    assertEquals("shim-lost", x.exit().reason());
    assertEquals(List.of("signal c1 e1 9"), h.runtime.calls);
  }

  @Test
  void goneConmonAndGoneExecIs255() throws Exception {
    written(exec("e1", SELF, SELF_START + 1));
    h.runtime.failSignal = CorralException.failedPrecondition("has exited");
    RecoveredExec x = recovery.execs(container(true)).get(0);
    assertEquals(255, x.exit().code());
    assertEquals("shim-lost", x.exit().reason());
  }

  @Test
  void liveConmonOfAStoppedContainerIsEndedAndItsExitRead() throws Exception {
    spawned = new ProcessBuilder("sleep", "1000").start();
    int conmon = (int) spawned.pid();
    written(exec("e1", conmon, ProcStat.startTime(conmon).orElseThrow()));
    Path exitFile = state.paths(ContainerRef.of("c1")).execExitFile("e1");
    h.runtime.onSignal = // what conmon does once its exec is killed: record it and exit
        () -> {
          try {
            Files.writeString(exitFile, "137");
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
          spawned.destroyForcibly();
        };
    RecoveredExec x = recovery.execs(container(false)).get(0);
    assertEquals(137, x.exit().code());
    assertNull(x.exit().reason(), "conmon recorded the code: nothing was lost");
  }

  @Test
  void execWithoutRecordIsKilledWithItsConmonAndRemoved() throws Exception {
    Path dir = Files.createDirectories(state.paths(ContainerRef.of("c1")).execDir("half"));
    // A stand-in conmon: its command line names the exec's process.json, its child is the exec.
    spawned =
        new ProcessBuilder(
                "sh",
                "-c",
                "sleep 1000 & echo $! > \"$0\"; wait",
                dir.resolve("exec.pid").toString(),
                "--exec-process-spec",
                dir.resolve("process.json").toString())
            .start();
    Files.writeString(dir.resolve("conmon.pid"), Long.toString(spawned.pid()));
    int child = awaitPidFile(dir.resolve("exec.pid"));
    assertEquals(OptionalInt.of((int) spawned.pid()), ProcStat.parent(child));
    long childStart = ProcStat.startTime(child).orElseThrow();

    assertEquals(List.of(), recovery.execs(container(true)));

    assertTrue(spawned.waitFor(10, TimeUnit.SECONDS), "its conmon still runs");
    for (int i = 0; i < 1000 && ProcStat.alive(child, childStart); i++) {
      Thread.sleep(10);
    }
    assertFalse(ProcStat.alive(child, childStart), "its process still runs");
    assertFalse(Files.exists(dir), "its directory stays behind");
  }

  @Test
  void pidFileNamingAnotherProcessKillsNothing() throws Exception {
    Path dir = Files.createDirectories(state.paths(ContainerRef.of("c1")).execDir("half"));
    spawned = new ProcessBuilder("sleep", "1000").start();
    Files.writeString(dir.resolve("conmon.pid"), Long.toString(spawned.pid()));
    assertEquals(List.of(), recovery.execs(container(true)));
    assertTrue(spawned.isAlive(), "a process that is not the exec's conmon was killed");
    assertFalse(Files.exists(dir));
  }

  @Test
  void unreadableRecordIsRemoved() throws Exception {
    Path dir = Files.createDirectories(state.paths(ContainerRef.of("c1")).execDir("bad"));
    Files.writeString(dir.resolve("exec.json"), "{\"execId\":\"bad\",\"pid\":");
    assertEquals(List.of(), recovery.execs(container(true)));
    assertFalse(Files.exists(dir));
  }

  /**
   * On the loop: a running exec whose start never reached the journal gets its start-process; an
   * exit found now is reported before its container's, once: not when the journal has it already.
   * Every exit found now is recorded, and a recovered exec can be waited for.
   */
  @Test
  void recoveredExitsAreReportedOnceAndExecExitsFirst() throws Exception {
    h.events.emit(
        dev.corral.supervisor.event.EventType.START_CONTAINER, ContainerRef.of("c1"), "init", null);
    h.events.emit(
        dev.corral.supervisor.event.EventType.START_PROCESS, ContainerRef.of("c1"), "told", null);
    h.events.emit(
        dev.corral.supervisor.event.EventType.START_PROCESS,
        ContainerRef.of("c1"),
        "journaled",
        null);
    h.events.emit(
        dev.corral.supervisor.event.EventType.EXIT, ContainerRef.of("c1"), "journaled", 5);
    h.loop.endOfBatch();
    h.eventTypes();
    ExecRecord told = written(exec("told", SELF, SELF_START + 1));
    ExecRecord journaled = written(exec("journaled", SELF, SELF_START + 1));
    RecoveredContainer.Exit at = new RecoveredContainer.Exit(9, Instant.now(), null);
    RecoveredContainer stopped =
        container(false)
            .withExecs(
                List.of(
                    new RecoveredExec(told, at),
                    new RecoveredExec(journaled, new RecoveredContainer.Exit(5, at.at(), null))));

    RecoverTask t = new RecoverTask(List.of(stopped), new Reply<>());
    h.handle(t);
    t.reply().await(T);

    assertEquals(List.of("exit(9)", "exit(0)"), h.eventTypes());
    assertEquals(9, state.readExec(ContainerRef.of("c1"), "told").orElseThrow().exitCode());
    assertEquals(5, state.readExec(ContainerRef.of("c1"), "journaled").orElseThrow().exitCode());
    WaitProcessTask w = new WaitProcessTask(ContainerRef.of("c1"), "told", new Reply<>());
    h.handle(w);
    assertEquals(9, w.reply().await(T).exitCode());
  }

  @Test
  void recoveredRunningExecIsAnnouncedIfNeverToldAndItsExitIsRecorded() throws Exception {
    ExecRecord r = written(exec("quiet", SELF, SELF_START));
    RecoverTask t =
        new RecoverTask(
            List.of(container(true).withExecs(List.of(new RecoveredExec(r, null)))), new Reply<>());
    h.handle(t);
    t.reply().await(T);
    assertEquals(List.of("start-process"), h.eventTypes());

    h.handle(new ExitTask(ContainerRef.of("c1"), "quiet", OptionalInt.of(4), Instant.now()));
    assertEquals(List.of("exit(4)"), h.eventTypes());
    assertEquals(4, state.readExec(ContainerRef.of("c1"), "quiet").orElseThrow().exitCode());
  }

  private static int awaitPidFile(Path f) throws Exception {
    for (int i = 0; i < 500; i++) {
      if (Files.exists(f) && !Files.readString(f).isBlank()) {
        return Integer.parseInt(Files.readString(f).trim());
      }
      Thread.sleep(10);
    }
    throw new AssertionError(f + " never written");
  }
}
