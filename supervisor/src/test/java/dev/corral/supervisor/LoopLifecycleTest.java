package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopLifecycleTest {
  private static final Duration T = Duration.ofSeconds(1);
  @TempDir Path tmp;
  Harness h;
  Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    bundle = Harness.bundle(tmp.resolve("bundle"));
  }

  @Test
  void startRunsCreateThenStartAndEmitsStartContainer() throws Exception {
    ContainerView v = h.startRunning("c1", bundle);
    assertEquals("running", v.status());
    assertTrue(v.pid() > 0);
    assertEquals(List.of("create c1", "start c1"), h.runtime.calls);
    assertEquals(List.of("start-container"), h.eventTypes());
    assertTrue(h.watched.containsKey("c1/init"));
    assertEquals("running", h.state.readStatus(ContainerRef.of("c1")).status());
  }

  @Test
  void secondCreateOfTheSameIdIsRefusedEvenWhileTheFirstIsCreating() {
    h.start("c1", bundle);
    Reply<ContainerView> second = h.start("c1", bundle);
    assertEquals(ErrorKind.ALREADY_EXISTS, kind(second));
    h.settle();
    assertEquals(ErrorKind.ALREADY_EXISTS, kind(h.start("c1", bundle)));
  }

  @Test
  void exitAnswersWaitersAndEmitsExitWithStatus() throws Exception {
    h.startRunning("c1", bundle);
    WaitTask w = new WaitTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(w);
    assertFalse(w.reply().isDone());
    h.exit("c1", 3);
    assertEquals(3, w.reply().await(T).exitCode());
    assertEquals(List.of("start-container", "exit(3)"), h.eventTypes());
    WaitTask late = new WaitTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(late);
    assertEquals(3, late.reply().await(T).exitCode());
    assertEquals(3, h.state.readStatus(ContainerRef.of("c1")).exitCode());
  }

  @Test
  void exitSeenBeforeTheStartResultIsReportedAfterStartContainer() throws Exception {
    Reply<ContainerView> r = h.start("c1", bundle);
    h.jobs.poll().run(); // the worker finished and published its result...
    h.exit("c1", 0); // ...but the monitor's exit reached the ring first
    h.settle();
    assertEquals("running", r.await(T).status());
    assertEquals(List.of("start-container", "exit(0)"), h.eventTypes());
  }

  @Test
  void failedCreateLeavesNothingBehindAndReturnsRuncsMessage() throws Exception {
    h.runtime.failCreate =
        FakeRuntime.runcSays("exec: \"nosuch\": executable file not found in $PATH");
    Reply<ContainerView> r = h.start("c1", bundle);
    h.settle();
    CorralException e = assertThrows(CorralException.class, () -> r.await(T));
    assertTrue(e.getMessage().contains("executable file not found"), e.getMessage());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertTrue(h.runtime.calls.contains("delete c1 --force"));
    assertTrue(h.watched.isEmpty());
    assertEquals(ErrorKind.NOT_FOUND, kind(get("c1")));
    assertEquals(List.of(), h.eventTypes());
  }

  @Test
  void anIdRuncAlreadyHoldsIsAConflictAndThatContainerIsLeftAlone() {
    h.runtime.failCreate =
        CorralException.alreadyExists(
            "container c1: runc create failed: container with given ID already exists");
    Reply<ContainerView> r = h.start("c1", bundle);
    h.settle();
    assertEquals(ErrorKind.ALREADY_EXISTS, kind(r));
    assertFalse(h.runtime.calls.contains("delete c1 --force"), h.runtime.calls.toString());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
  }

  @Test
  void failedStartUnwatchesDeletesAndFailsEarlyWaiters() {
    h.runtime.failStart = CorralException.failedPrecondition("container c1: runc start: boom");
    Reply<ContainerView> r = h.start("c1", bundle);
    WaitTask w = new WaitTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(w);
    h.settle();
    assertEquals(ErrorKind.FAILED_PRECONDITION, kind(r));
    assertEquals(ErrorKind.FAILED_PRECONDITION, kind(w.reply()));
    assertTrue(h.watched.isEmpty());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
  }

  @Test
  void invalidBundleIsInvalidArgumentAndLeavesNoDirectory() {
    Reply<ContainerView> r = h.start("c1", tmp.resolve("missing"));
    h.settle();
    assertEquals(ErrorKind.INVALID_ARGUMENT, kind(r));
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertEquals(List.of(), h.runtime.calls.stream().filter(c -> c.startsWith("create")).toList());
  }

  @Test
  void deleteOfARunningContainerNeedsForce() {
    h.startRunning("c1", bundle);
    DeleteTask d = new DeleteTask(ContainerRef.of("c1"), false, new Reply<>());
    h.handle(d);
    assertEquals(ErrorKind.FAILED_PRECONDITION, kind(d.reply()));
    assertTrue(d.reply().isDone());
  }

  @Test
  void forcedDeleteKillsWaitsForTheExitThenRemoves() throws Exception {
    h.startRunning("c1", bundle);
    DeleteTask d = new DeleteTask(ContainerRef.of("c1"), true, new Reply<>());
    h.handle(d);
    h.settle();
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"));
    assertFalse(d.reply().isDone(), "removal waits for the exit");
    h.handle(new ExitTask(ContainerRef.of("c1"), "init", OptionalInt.of(137), Instant.now()));
    h.settle();
    d.reply().await(T);
    assertEquals(List.of("start-container", "exit(137)", "delete"), h.eventTypes());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertEquals(ErrorKind.NOT_FOUND, kind(get("c1")));
  }

  @Test
  void deleteOfAStoppedContainerRemovesItAndItsFiles() throws Exception {
    h.startRunning("c1", bundle);
    h.exit("c1", 0);
    DeleteTask d = new DeleteTask(ContainerRef.of("c1"), false, new Reply<>());
    h.handle(d);
    DeleteTask again = new DeleteTask(ContainerRef.of("c1"), false, new Reply<>());
    h.handle(again); // joins the delete in flight
    h.settle();
    d.reply().await(T);
    again.reply().await(T);
    // An exited container is moved aside without runc: its cgroups are gone with its init.
    assertTrue(h.runtime.calls.contains("unlink c1"), h.runtime.calls.toString());
    assertFalse(h.runtime.calls.contains("delete c1 --force"), h.runtime.calls.toString());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertFalse(Files.exists(h.state.runDir(ContainerRef.of("c1"))));
    assertEquals(List.of("start-container", "exit(0)", "delete"), h.eventTypes());
  }

  @Test
  void deleteOfAContainerWithPoststopHooksRunsRuncDeleteFirst() throws Exception {
    Files.writeString(
        bundle.resolve("config.json"),
        "{\"process\":{\"args\":[\"true\"]},\"root\":{\"path\":\"rootfs\"},"
            + "\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\"}]}}");
    h.startRunning("c1", bundle);
    h.exit("c1", 0);
    DeleteTask d = new DeleteTask(ContainerRef.of("c1"), false, new Reply<>());
    h.handle(d);
    h.settle();
    d.reply().await(T);
    assertTrue(h.runtime.calls.contains("delete c1 --force"), h.runtime.calls.toString());
    assertFalse(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    assertFalse(Files.exists(h.state.runDir(ContainerRef.of("c1"))));
  }

  @Test
  void theIdOfADeletedContainerIsFreeAtOnceAndTheTrashEmptied() throws Exception {
    h.startRunning("c1", bundle);
    h.exit("c1", 3);
    DeleteTask d = new DeleteTask(ContainerRef.of("c1"), false, new Reply<>());
    h.handle(d);
    h.settle();
    d.reply().await(T);
    h.startRunning("c1", bundle);
    assertTrue(Files.exists(h.state.containerDir(ContainerRef.of("c1"))));
    try (var trash = Files.list(h.state.root().resolve("trash"))) {
      assertEquals(0, trash.count());
    }
    try (var trash = Files.list(h.state.state().resolve("trash"))) {
      assertEquals(0, trash.count());
    }
  }

  @Test
  void listFiltersByLabelAndSortsById() {
    h.handle(
        new dev.corral.supervisor.task.StartTask(
            new CreateRequest(
                ContainerRef.of("b"), bundle, Map.of("app", "web"), false, false, List.of()),
            new Reply<>()));
    h.handle(
        new dev.corral.supervisor.task.StartTask(
            new CreateRequest(
                ContainerRef.of("a"), bundle, Map.of("app", "db"), false, false, List.of()),
            new Reply<>()));
    h.settle();
    GetContainersTask all = new GetContainersTask(null, null, Map.of(), new Reply<>());
    h.handle(all);
    assertEquals(List.of("a", "b"), all.reply().await(T).stream().map(ContainerView::id).toList());
    GetContainersTask web = new GetContainersTask(null, null, Map.of("app", "web"), new Reply<>());
    h.handle(web);
    assertEquals(List.of("b"), web.reply().await(T).stream().map(ContainerView::id).toList());
  }

  @Test
  void shimLostWithoutExitFileIsReportedAs255WithReason() throws Exception {
    h.startRunning("c1", bundle);
    h.handle(new ExitTask(ContainerRef.of("c1"), "init", OptionalInt.empty(), Instant.now()));
    h.settle();
    ContainerView v = get("c1").await(T).get(0);
    assertEquals(255, v.exitCode());
    assertEquals("shim-lost", v.reason());
  }

  @Test
  void shimLostWhileContainerRunsKillsItAndReports137() throws Exception {
    h.startRunning("c1", bundle);
    h.eventTypes();
    h.runtime.known.add("c1");
    h.handle(new ExitTask(ContainerRef.of("c1"), "init", OptionalInt.empty(), Instant.now()));
    h.settle();
    ContainerView v = get("c1").await(T).get(0);
    assertEquals(137, v.exitCode());
    assertEquals("shim-lost", v.reason());
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"), h.runtime.calls.toString());
    assertTrue(h.runtime.calls.contains("delete c1 --force"), h.runtime.calls.toString());
    assertEquals(List.of("exit(137)"), h.eventTypes());
  }

  private Reply<List<ContainerView>> get(String id) {
    GetContainersTask t = new GetContainersTask("default", id, Map.of(), new Reply<>());
    h.handle(t);
    return t.reply();
  }

  static ErrorKind kind(Reply<?> r) {
    return assertThrows(CorralException.class, () -> r.await(T)).kind();
  }
}
