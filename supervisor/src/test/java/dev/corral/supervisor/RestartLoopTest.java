package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.state.RestartFiles;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitor;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.RestartPolicy;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.StartExistingTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.StopTask;
import dev.corral.supervisor.task.UpdateRestartPolicyTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies, stop and start on the loop, with the fake runtime and a hand-fired timer. */
class RestartLoopTest {
  private static final Duration T = Duration.ofSeconds(1);
  @TempDir Path tmp;
  Harness h;
  Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(tmp.resolve("root"));
    bundle = Harness.bundle(tmp.resolve("bundle"));
  }

  private ContainerView create(String id, RestartPolicy policy) {
    StartTask t =
        new StartTask(
            new CreateRequest(ContainerRef.of(id), bundle, Map.of(), false, false, List.of()),
            policy,
            new Reply<>());
    h.handle(t);
    h.settle();
    return t.reply().await(T);
  }

  private ContainerView get(String id) {
    GetContainersTask t = new GetContainersTask("default", id, Map.of(), new Reply<>());
    h.handle(t);
    return t.reply().await(T).get(0);
  }

  @Test
  void onFailureThreeRestartsThreeTimesWithDoublingWaitsThenStaysStopped() throws Exception {
    create("c1", new RestartPolicy("on-failure", 3));
    List<Duration> waits = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      h.exit("c1", 1);
      assertEquals(1, h.delayed.size());
      waits.add(h.fire());
      assertEquals("running", get("c1").status());
      assertEquals(i, get("c1").restartCount());
    }
    h.exit("c1", 1);
    assertTrue(h.delayed.isEmpty());
    assertEquals(List.of(100L, 200L, 400L), waits.stream().map(Duration::toMillis).toList());
    ContainerView v = get("c1");
    assertEquals("stopped", v.status());
    assertEquals(3, v.restartCount());
    assertEquals(
        3, RestartFiles.read(h.state.paths(ContainerRef.of("c1"))).orElseThrow().restartCount());
    assertEquals(3, (int) h.metrics.restarts(ContainerRef.of("c1")).get());
    List<String> events = h.eventTypes();
    assertEquals(3, events.stream().filter(e -> e.startsWith("restart")).count());
    assertEquals("restart(3)", events.get(events.size() - 2));
    assertEquals("exit(1)", events.get(events.size() - 1));
  }

  @Test
  void onFailureLeavesASuccessAlone() {
    create("c1", new RestartPolicy("on-failure", 0));
    h.exit("c1", 0);
    assertTrue(h.delayed.isEmpty());
  }

  @Test
  void aUsersStopOfAnAlwaysContainerKeepsItStopped() throws Exception {
    create("c1", new RestartPolicy("always", 0));
    StopTask stop = new StopTask(ContainerRef.of("c1"), 5, new Reply<>());
    h.handle(stop);
    h.settle();
    assertTrue(h.runtime.calls.contains("kill c1 15"));
    assertFalse(stop.reply().isDone()); // answered by the exit, not before
    h.exit("c1", 143);
    ContainerView v = stop.reply().await(T);
    assertEquals("stopped", v.status());
    assertEquals(List.of("start-container", "exit(143)", "stop"), h.eventTypes());
    assertEquals(Duration.ofSeconds(5), h.fire()); // the grace ends: nothing left to kill
    assertFalse(h.runtime.calls.contains("kill c1 9 --all"));
    assertTrue(h.delayed.isEmpty());
    assertTrue(RestartFiles.read(h.state.paths(ContainerRef.of("c1"))).orElseThrow().userStopped());
  }

  @Test
  void aStopKillsWhatOutlivesItsGrace() {
    create("c1", RestartPolicy.NO);
    h.handle(new StopTask(ContainerRef.of("c1"), 0, new Reply<>()));
    h.settle();
    h.fire();
    assertTrue(h.runtime.calls.contains("kill c1 9 --all"));
  }

  @Test
  void aSignalFromAClientSuppressesTheRestart() {
    create("c1", new RestartPolicy("unless-stopped", 0));
    h.handle(new SignalTask(ContainerRef.of("c1"), "init", 9, false, new Reply<>()));
    h.settle();
    h.exit("c1", 137);
    assertTrue(h.delayed.isEmpty());
  }

  @Test
  void theDaemonsOwnSignalAtShutdownIsNoUsersStop() throws Exception {
    create("c1", new RestartPolicy("unless-stopped", 0));
    h.handle(SignalTask.atShutdown(ContainerRef.of("c1"), 15, false));
    h.settle();
    assertTrue(h.runtime.calls.contains("kill c1 15"), h.runtime.calls.toString());
    assertFalse(
        RestartFiles.read(h.state.paths(ContainerRef.of("c1"))).orElseThrow().userStopped());
    h.exit("c1", 143);
    assertEquals(1, h.delayed.size(), "restarted as after any exit it did not ask for");
  }

  @Test
  void startRunsAStoppedContainerAgainAndEndsTheUsersStop() throws Exception {
    create("c1", new RestartPolicy("always", 0));
    h.handle(new StopTask(ContainerRef.of("c1"), 10, new Reply<>()));
    h.settle();
    h.exit("c1", 143);
    h.runtime.calls.clear();
    StartExistingTask start = new StartExistingTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(start);
    h.settle();
    ContainerView v = start.reply().await(T);
    assertEquals("running", v.status());
    assertEquals(0, v.restartCount());
    assertEquals(List.of("delete c1 --force", "create c1", "start c1"), h.runtime.calls);
    assertFalse(RestartFiles.interrupted(h.state.paths(ContainerRef.of("c1"))).isPresent());
    assertFalse(
        RestartFiles.read(h.state.paths(ContainerRef.of("c1"))).orElseThrow().userStopped());
    h.delayed.clear(); // the first stop's grace
    h.exit("c1", 2);
    assertEquals(1, h.delayed.size()); // the policy applies again
  }

  @Test
  void startOfARunningContainerAndStopOfAStoppedOneAnswerPlainly() {
    create("c1", RestartPolicy.NO);
    StartExistingTask start = new StartExistingTask(ContainerRef.of("c1"), new Reply<>());
    h.handle(start);
    CorralException e = assertThrows(CorralException.class, () -> start.reply().await(T));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    h.exit("c1", 0);
    StopTask stop = new StopTask(ContainerRef.of("c1"), 10, new Reply<>());
    h.handle(stop);
    assertEquals("stopped", stop.reply().await(T).status());
  }

  @Test
  void aStopCancelsARestartWaitingForItsBackoff() {
    create("c1", new RestartPolicy("always", 0));
    h.exit("c1", 1);
    h.handle(new StopTask(ContainerRef.of("c1"), 10, new Reply<>()));
    h.runtime.calls.clear();
    h.fire();
    assertEquals(List.of(), h.runtime.calls);
    assertEquals("stopped", get("c1").status());
  }

  @Test
  void aFailedRestartIsReportedAndRetriedAfterALongerWait() throws Exception {
    create("c1", new RestartPolicy("always", 0));
    h.exit("c1", 1);
    h.runtime.failCreate = CorralException.failedPrecondition("runc create: no such binary");
    h.fire();
    assertEquals("stopped", get("c1").status());
    List<String> events = h.eventTypes();
    assertEquals("restart(1)", events.get(events.size() - 1));
    assertTrue(RestartFiles.interrupted(h.state.paths(ContainerRef.of("c1"))).isPresent());
    h.runtime.failCreate = null;
    assertEquals(Duration.ofMillis(200), h.fire());
    assertEquals("running", get("c1").status());
    assertEquals(2, get("c1").restartCount());
    assertFalse(RestartFiles.interrupted(h.state.paths(ContainerRef.of("c1"))).isPresent());
  }

  @Test
  void aPolicyChangeIsKeptAndCancelsARestartItWouldNotMake() throws Exception {
    create("c1", new RestartPolicy("always", 0));
    h.exit("c1", 0);
    UpdateRestartPolicyTask u =
        new UpdateRestartPolicyTask(
            ContainerRef.of("c1"), new RestartPolicy("on-failure", 2), new Reply<>());
    h.handle(u);
    assertEquals("on-failure", u.reply().await(T).restartPolicy().name());
    assertEquals(
        2,
        RestartFiles.read(h.state.paths(ContainerRef.of("c1"))).orElseThrow().maximumRetryCount());
    h.runtime.calls.clear();
    h.fire();
    assertEquals(List.of(), h.runtime.calls);
  }

  @Test
  void anAddedMonitorIsToldOfStartsAndExits() {
    List<String> seen = new ArrayList<>();
    h.loop.monitor(
        new ContainerMonitor() {
          @Override
          public void started(Container c) {
            seen.add("started " + c.id());
          }

          @Override
          public void exited(Container c) {
            seen.add("exited " + c.id() + " " + c.exitView().exitCode());
          }
        });
    create("c1", new RestartPolicy("always", 0));
    h.exit("c1", 4);
    h.fire();
    assertEquals(List.of("started c1", "exited c1 4", "started c1"), seen);
  }
}
