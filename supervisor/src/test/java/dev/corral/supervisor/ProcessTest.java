package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.ExecRequest;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.ProcessView;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTest {
  private static final Duration T = Duration.ofSeconds(1);
  @TempDir Path tmp;
  Harness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    h.startRunning("c1", Harness.bundle(tmp.resolve("bundle")));
    h.eventTypes();
  }

  private Reply<ProcessView> exec(String execId) {
    AddProcessTask t =
        new AddProcessTask(
            ContainerRef.of("c1"), SignalAndDispatchTest.execRequest(execId), new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply();
  }

  private void execExit(String execId, int code) {
    h.handle(new ExitTask(ContainerRef.of("c1"), execId, OptionalInt.of(code), Instant.now()));
  }

  @Test
  void anExecRunsIsWatchedAndItsExitIsAnEventAndAWaitAnswer() throws Exception {
    ProcessView v = exec("e1").await(T);
    assertEquals("running", v.status());
    assertEquals(List.of("true"), v.args());
    assertTrue(h.watched.containsKey("c1/e1"));
    String json =
        Files.readString(
            h.state.paths(ContainerRef.of("c1")).execDir("e1").resolve("process.json"));
    assertTrue(json.contains("\"args\":[\"true\"]"), json);

    WaitProcessTask w = new WaitProcessTask(ContainerRef.of("c1"), "e1", new Reply<>());
    h.handle(w);
    assertFalse(w.reply().isDone());
    execExit("e1", 7);
    assertEquals(7, w.reply().await(T).exitCode());
    assertEquals(List.of("start-process", "exit(7)"), h.eventTypes());
  }

  @Test
  void anExecThatCannotBeRecordedIsKilledAndFails() throws Exception {
    // exec.json cannot be written: a directory stands where it goes.
    Files.createDirectories(
        h.state.paths(ContainerRef.of("c1")).execRecord("e1").resolve("blocker"));
    Reply<ProcessView> r = exec("e1");
    CorralException e = assertThrows(CorralException.class, () -> r.await(T));
    assertTrue(e.getMessage().contains("exec e1"), e.getMessage());
    assertTrue(h.runtime.calls.contains("signal c1 e1 9"), h.runtime.calls.toString());
    assertFalse(h.watched.containsKey("c1/e1"), "a failed exec is not watched");
    assertFalse(
        Files.exists(h.state.paths(ContainerRef.of("c1")).execDir("e1")),
        "its directory stays behind");
    assertEquals(List.of(), h.eventTypes());
  }

  @Test
  void anExecWhoseShimIsLostIsKilledAndReported137ThenRecorded() throws Exception {
    exec("e1").await(T);
    h.eventTypes();
    h.handle(new ExitTask(ContainerRef.of("c1"), "e1", OptionalInt.empty(), Instant.now()));
    assertEquals(List.of(), h.eventTypes(), "running until the worker has dealt with it");
    h.settle();
    assertTrue(h.runtime.calls.contains("signal c1 e1 9"), h.runtime.calls.toString());
    assertEquals(List.of("exit(137)"), h.eventTypes());
    WaitProcessTask w = new WaitProcessTask(ContainerRef.of("c1"), "e1", new Reply<>());
    h.handle(w);
    assertEquals("shim-lost", w.reply().await(T).reason());
    var record = h.state.readExec(ContainerRef.of("c1"), "e1").orElseThrow();
    assertEquals(137, record.exitCode());
    assertEquals("shim-lost", record.reason());
  }

  @Test
  void anExecWhoseShimIsLostAndIsGoneIs255() throws Exception {
    exec("e1").await(T);
    h.eventTypes();
    h.runtime.failSignal = CorralException.failedPrecondition("has exited");
    h.handle(new ExitTask(ContainerRef.of("c1"), "e1", OptionalInt.empty(), Instant.now()));
    h.settle();
    assertEquals(List.of("exit(255)"), h.eventTypes());
  }

  @Test
  void theInitsExitWaitsForEveryExecsExit() throws Exception {
    exec("e1").await(T);
    exec("e2").await(T);
    h.exit("c1", 137);
    h.settle();
    assertTrue(h.runtime.calls.containsAll(List.of("signal c1 e1 9", "signal c1 e2 9")));
    execExit("e2", 137);
    execExit("e1", 137);
    assertEquals(
        List.of("start-process", "start-process", "exit(137)", "exit(137)", "exit(137)"),
        h.eventTypes());
    ListProcessesTask l = new ListProcessesTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(l);
    List<ProcessView> ps = l.reply().await(T);
    assertEquals(List.of("init", "e1", "e2"), ps.stream().map(ProcessView::id).toList());
    assertTrue(ps.stream().allMatch(p -> p.status().equals("stopped")), ps.toString());
  }

  @Test
  void anExecExitSeenBeforeItsStartResultFollowsStartProcess() throws Exception {
    AddProcessTask t =
        new AddProcessTask(
            ContainerRef.of("c1"), SignalAndDispatchTest.execRequest("fast"), new Reply<>());
    h.handle(t);
    h.jobs.poll().run(); // the worker publishes its result...
    execExit("fast", 3); // ...but the monitor's exit overtakes it
    h.settle();
    assertEquals(List.of("start-process", "exit(3)"), h.eventTypes());
  }

  @Test
  void execIntoAPausedOrStoppedContainerAndDuplicateIdsAreRefused() throws Exception {
    exec("e1").await(T);
    CorralException dup = assertThrows(CorralException.class, () -> exec("e1").await(T));
    assertEquals(ErrorKind.ALREADY_EXISTS, dup.kind());
    assertEquals("container c1: process e1: already exists", dup.getMessage());

    UpdateTask pause = UpdateTask.pause(ContainerRef.of("c1"), new Reply<>());
    h.handle(pause);
    h.settle();
    CorralException paused = assertThrows(CorralException.class, () -> exec("e2").await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, paused.kind());
    assertEquals("container c1: is paused; resume it before exec", paused.getMessage());
  }

  @Test
  void aFailedExecLeavesNoProcessAndNoDirectory() {
    h.runtime.failExec = CorralException.invalidArgument("container c1: exec e1: not found");
    CorralException e = assertThrows(CorralException.class, () -> exec("e1").await(T));
    assertEquals("container c1: exec e1: not found", e.getMessage());
    assertFalse(Files.exists(h.state.paths(ContainerRef.of("c1")).execDir("e1")));
    h.runtime.failExec = null;
    assertEquals("running", exec("e1").await(T).status());
  }

  @Test
  void signalsReachARunningExecByItsId() {
    exec("e1").await(T);
    SignalTask s = new SignalTask(ContainerRef.of("c1"), "e1", 15, false, new Reply<>());
    h.handle(s);
    h.settle();
    s.reply().await(T);
    assertTrue(h.runtime.calls.contains("signal c1 e1 15"));
    execExit("e1", 143);
    SignalTask late = new SignalTask(ContainerRef.of("c1"), "e1", 15, false, new Reply<>());
    h.handle(late);
    CorralException e = assertThrows(CorralException.class, () -> late.reply().await(T));
    assertEquals("container c1: process e1: is stopped, not running", e.getMessage());
  }

  @Test
  void closeStdinAndResizeNeedAProcessStartedWithThem() {
    Reply<ProcessView> r = new Reply<>();
    AddProcessTask t =
        new AddProcessTask(
            ContainerRef.of("c1"),
            new ExecRequest(
                "tty",
                new dev.corral.supervisor.task.ExecProcessRequest(
                    List.of("sh"), List.of(), null, null, null, true),
                true),
            r);
    h.handle(t);
    h.settle();
    r.await(T);
    UpdateProcessTask close =
        UpdateProcessTask.closeStdin(ContainerRef.of("c1"), "tty", new Reply<>());
    h.handle(close);
    UpdateProcessTask resize =
        new UpdateProcessTask(
            ContainerRef.of("c1"), "tty", UpdateProcessTask.Action.RESIZE, 40, 120, new Reply<>());
    h.handle(resize);
    h.settle();
    close.reply().await(T);
    resize.reply().await(T);
    assertTrue(h.runtime.calls.contains("close-stdin c1 tty"), h.runtime.calls.toString());
    assertTrue(h.runtime.calls.contains("resize c1 tty tty 40x120"), h.runtime.calls.toString());

    UpdateProcessTask initResize =
        new UpdateProcessTask(
            ContainerRef.of("c1"), "init", UpdateProcessTask.Action.RESIZE, 40, 120, new Reply<>());
    h.handle(initResize);
    CorralException e = assertThrows(CorralException.class, () -> initResize.reply().await(T));
    assertEquals("container c1: process init: has no terminal", e.getMessage());
    UpdateProcessTask initClose =
        UpdateProcessTask.closeStdin(ContainerRef.of("c1"), "init", new Reply<>());
    h.handle(initClose);
    e = assertThrows(CorralException.class, () -> initClose.reply().await(T));
    assertEquals("container c1: process init: was not started with stdin", e.getMessage());
    assertThrows(
        CorralException.class,
        () ->
            new UpdateProcessTask(
                ContainerRef.of("c1"), "init", UpdateProcessTask.Action.RESIZE, 0, 80, null));
  }
}
