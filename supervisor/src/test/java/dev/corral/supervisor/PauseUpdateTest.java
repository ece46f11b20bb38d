package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseUpdateTest {
  private static final Duration T = Duration.ofSeconds(1);
  @TempDir Path tmp;
  Harness h;
  Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    bundle = Harness.bundle(tmp.resolve("bundle"));
    h.startRunning("c1", bundle);
    h.eventTypes();
  }

  private ContainerView run(UpdateTask t) {
    h.handle(t);
    h.settle();
    return t.reply().await(T);
  }

  private CorralException refused(UpdateTask t) {
    h.handle(t);
    h.settle();
    return assertThrows(CorralException.class, () -> t.reply().await(T));
  }

  @Test
  void pauseThenResumeMovesTheStatusAndEmitsBothEvents() throws Exception {
    assertEquals("paused", run(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>())).status());
    assertEquals("running", run(UpdateTask.resume(ContainerRef.of("c1"), new Reply<>())).status());
    assertEquals(List.of("pause", "resume"), h.eventTypes());
    assertTrue(h.runtime.calls.containsAll(List.of("pause c1", "resume c1")));
  }

  @Test
  void pauseOfAPausedAndResumeOfARunningContainerAreRefusedWithoutRunc() {
    CorralException e = refused(UpdateTask.resume(ContainerRef.of("c1"), new Reply<>()));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertEquals("container c1: is running, not paused", e.getMessage());
    run(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>()));
    e = refused(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>()));
    assertEquals("container c1: is already paused", e.getMessage());
    assertEquals(1, h.runtime.calls.stream().filter(c -> c.startsWith("pause")).count());
  }

  @Test
  void aSecondUpdateWhileOneIsInFlightIsRefused() {
    UpdateTask first = UpdateTask.pause(ContainerRef.of("c1"), new Reply<>());
    h.handle(first);
    UpdateTask second = UpdateTask.pause(ContainerRef.of("c1"), new Reply<>());
    h.handle(second);
    CorralException e = assertThrows(CorralException.class, () -> second.reply().await(T));
    assertEquals("container c1: another pause, resume or update is in progress", e.getMessage());
    h.settle();
    assertEquals("paused", first.reply().await(T).status());
  }

  @Test
  void aRuncFailureLeavesTheStatusAndEmitsNothing() throws Exception {
    h.runtime.failUpdate = CorralException.internal(null, "container c1: runc pause: boom");
    assertEquals(
        "container c1: runc pause: boom",
        refused(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>())).getMessage());
    assertEquals(List.of(), h.eventTypes());
    h.runtime.failUpdate = null;
    assertEquals("paused", run(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>())).status());
  }

  @Test
  void resourcesReachRuncUpdateAndEmitUpdate() throws Exception {
    ResourceChange r = new ResourceChange(64L << 20, null, null, null, 10L);
    run(new UpdateTask(ContainerRef.of("c1"), UpdateTask.Action.RESOURCES, r, new Reply<>()));
    assertTrue(h.runtime.calls.contains("update --memory 67108864 --pids-limit 10 c1"));
    assertEquals(List.of("update"), h.eventTypes());
  }

  @Test
  void aPausedContainerCanExitAndAStoppedOneCannotBePaused() throws Exception {
    run(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>()));
    h.exit("c1", 137);
    assertEquals(List.of("pause", "exit(137)"), h.eventTypes());
    CorralException e = refused(UpdateTask.resume(ContainerRef.of("c1"), new Reply<>()));
    assertEquals("container c1: cannot resume it while stopped", e.getMessage());
  }

  @Test
  void anExitDuringAPauseFailsThePauseAndKeepsTheExit() throws Exception {
    UpdateTask t = UpdateTask.pause(ContainerRef.of("c1"), new Reply<>());
    h.handle(t);
    h.exit("c1", 0);
    h.settle();
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertEquals("container c1: cannot pause it while stopped", e.getMessage());
    assertEquals(List.of("exit(0)"), h.eventTypes());
  }

  @Test
  void aForcedDeleteOfAPausedContainerKillsIt() {
    run(UpdateTask.pause(ContainerRef.of("c1"), new Reply<>()));
    Reply<Void> del = new Reply<>();
    h.handle(new dev.corral.supervisor.task.DeleteTask(ContainerRef.of("c1"), true, del));
    h.settle();
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"));
  }

  @Test
  void statsOfAStoppedOrUnknownContainerAreRefusedOnTheLoop() {
    h.exit("c1", 0);
    StatsTask t = new StatsTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(t);
    assertTrue(h.jobs.isEmpty(), "no worker reads the files of a stopped container");
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertEquals("container c1: is stopped, not running", e.getMessage());
    StatsTask unknown = new StatsTask(ContainerRef.of("nope"), new Reply<>());
    h.handle(unknown);
    assertEquals(
        ErrorKind.NOT_FOUND,
        assertThrows(CorralException.class, () -> unknown.reply().await(T)).kind());
  }
}
