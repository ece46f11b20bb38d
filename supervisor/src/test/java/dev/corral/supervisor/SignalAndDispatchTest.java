package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.runtime.Created;
import dev.corral.supervisor.event.EventFilter;
import dev.corral.supervisor.event.Subscriber;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExecRequest;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.LogFilter;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.StartResultTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.task.SubscribeTask;
import dev.corral.supervisor.task.Task;
import dev.corral.supervisor.task.UnsubscribeTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalAndDispatchTest {
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
  void signalReachesRuncKillOnlyForARunningInit() {
    h.startRunning("c1", bundle);
    SignalTask ok = new SignalTask(ContainerRef.of("c1"), "init", 15, false, new Reply<>());
    h.handle(ok);
    h.settle();
    ok.reply().await(T);
    assertTrue(h.runtime.calls.contains("kill c1 15"));

    assertEquals(
        ErrorKind.NOT_FOUND,
        kindOf(new SignalTask(ContainerRef.of("nope"), "init", 9, false, new Reply<>())));
    assertEquals(
        ErrorKind.NOT_FOUND,
        kindOf(new SignalTask(ContainerRef.of("c1"), "exec1", 9, false, new Reply<>())));
    h.exit("c1", 0);
    assertEquals(
        ErrorKind.FAILED_PRECONDITION,
        kindOf(new SignalTask(ContainerRef.of("c1"), "init", 9, false, new Reply<>())));
  }

  @Test
  void aRuncKillFailureIsTheCallersError() {
    h.startRunning("c1", bundle);
    h.runtime.failKill =
        CorralException.failedPrecondition("container c1: runc kill: container not running");
    SignalTask t = new SignalTask(ContainerRef.of("c1"), "init", 9, false, new Reply<>());
    h.handle(t);
    h.settle();
    CorralException e = assertThrows(CorralException.class, () -> t.reply().await(T));
    assertEquals("container c1: runc kill: container not running", e.getMessage());
  }

  @Test
  void aThrowingHandlerFailsItsReplyAndTheLoopGoesOn() {
    // A start result for a container nobody is creating is a bug: logged, counted, survived.
    h.handle(StartResultTask.ok(ContainerRef.of("ghost"), new Created(1, 2, 3), Instant.now()));
    assertEquals(1, h.metrics.taskErrors.getCount());
    ContainerView v = h.startRunning("c1", bundle);
    assertEquals("running", v.status());
  }

  @Test
  void loopConfinedCodeRefusesOtherThreads() throws Exception {
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(() -> h.loop.handle(new UnsubscribeTask(1)));
    ExecutionException e = assertThrows(ExecutionException.class, other::get);
    assertTrue(e.getCause() instanceof AssertionError, e.getCause().toString());
    ContainerTable table = new ContainerTable(h.guard);
    CompletableFuture<Object> read =
        CompletableFuture.supplyAsync(() -> table.get(ContainerRef.of("c1")));
    assertTrue(
        assertThrows(ExecutionException.class, read::get).getCause() instanceof AssertionError);
  }

  @Test
  void unsubscribeStopsDelivery() throws Exception {
    Subscriber s = new Subscriber(EventFilter.ALL, 10);
    h.handle(new SubscribeTask(s, new Reply<>()));
    h.handle(new UnsubscribeTask(s.id()));
    h.startRunning("c1", bundle);
    assertEquals("live", s.poll(Duration.ZERO).type().wireName());
    assertEquals(null, s.poll(Duration.ZERO));
    assertTrue(s.isClosed());
  }

  /** One sample of every task record; a new record without a sample fails the next test. */
  private List<Task> samples() {
    CreateRequest req =
        new CreateRequest(ContainerRef.of("s1"), bundle, Map.of(), false, false, List.of());
    return List.of(
        new StartTask(req, new Reply<>()),
        new SignalTask(ContainerRef.of("s1"), "init", 9, false, new Reply<>()),
        new DeleteTask(ContainerRef.of("s1"), false, new Reply<>()),
        new GetContainersTask(null, null, Map.of(), new Reply<>()),
        new WaitTask(ContainerRef.of("s1"), new Reply<>()),
        new SubscribeTask(new Subscriber(EventFilter.ALL, 4), new Reply<>()),
        new ExitTask(ContainerRef.of("s1"), "init", OptionalInt.of(0), Instant.now()),
        new OOMTask(ContainerRef.of("s1")),
        StartResultTask.failed(ContainerRef.of("s1"), CorralException.internal(null, "x")),
        new DeleteResultTask(ContainerRef.of("s1"), null),
        new UnsubscribeTask(42),
        new dev.corral.supervisor.task.ShimLostTask(
            ContainerRef.of("s1"), "init", 137, Instant.now()),
        new dev.corral.supervisor.task.RecoverTask(List.of(), new Reply<>()),
        UpdateTask.pause(ContainerRef.of("s1"), new Reply<>()),
        new UpdateResultTask(ContainerRef.of("s2"), UpdateTask.Action.PAUSE, null),
        new AddProcessTask(ContainerRef.of("s1"), execRequest("e1"), new Reply<>()),
        new AddProcessResultTask(ContainerRef.of("s2"), "e1", null, null),
        new WaitProcessTask(ContainerRef.of("s1"), "e1", new Reply<>()),
        new ListProcessesTask(ContainerRef.of("s1"), new Reply<>()),
        new StatsTask(ContainerRef.of("s1"), new Reply<>()),
        UpdateProcessTask.closeStdin(ContainerRef.of("s1"), "init", new Reply<>()),
        new CreateCheckpointTask(
            ContainerRef.of("s1"),
            "cp1",
            new dev.corral.supervisor.task.CheckpointRequest(true, false, false, false),
            new Reply<>()),
        new CheckpointResultTask(ContainerRef.of("s2"), null, null),
        new DeleteCheckpointTask(ContainerRef.of("s1"), "cp1", new Reply<>()),
        new ListCheckpointsTask(ContainerRef.of("s1"), new Reply<>()),
        new dev.corral.supervisor.task.AttachTask(ContainerRef.of("s1"), "init", new Reply<>()),
        new dev.corral.supervisor.task.LogsTask(
            ContainerRef.of("s1"),
            "init",
            new LogFilter(null, -1, true, true),
            false,
            new Reply<>()),
        dev.corral.supervisor.task.AnswerTask.ok(new Reply<Void>(), null),
        new dev.corral.supervisor.task.StopTask(ContainerRef.of("s1"), 0, new Reply<>()),
        new dev.corral.supervisor.task.StopTimeoutTask(ContainerRef.of("s1"), 1),
        new dev.corral.supervisor.task.StartExistingTask(ContainerRef.of("s1"), new Reply<>()),
        new dev.corral.supervisor.task.RestartTask(ContainerRef.of("s1"), 1),
        dev.corral.supervisor.task.RestartResultTask.failed(
            ContainerRef.of("s2"), 1, CorralException.internal(null, "x")),
        new dev.corral.supervisor.task.UpdateRestartPolicyTask(
            ContainerRef.of("s1"), dev.corral.supervisor.task.RestartPolicy.NO, new Reply<>()),
        new dev.corral.supervisor.task.ListNamespacesTask(new Reply<>()),
        new dev.corral.supervisor.task.DeleteNamespaceTask("gone", new Reply<>()),
        new dev.corral.supervisor.task.CreatePodTask(
            new dev.corral.supervisor.task.PodRequest(
                "default", "u1", "web", null, null, java.util.Map.of()),
            new Reply<>()),
        new dev.corral.supervisor.task.ListPodsTask("default", true, new Reply<>()),
        new dev.corral.supervisor.task.PodStatusTask(
            "default", "u1", null, java.time.Duration.ZERO, new Reply<>()),
        new dev.corral.supervisor.task.DeletePodTask("default", "u2", false, new Reply<>()),
        new dev.corral.supervisor.task.PodWaitsExpireTask());
  }

  static ExecRequest execRequest(String execId) {
    return new ExecRequest(
        execId,
        new dev.corral.supervisor.task.ExecProcessRequest(
            List.of("true"), List.of(), null, null, null, false),
        false);
  }

  @Test
  void everyPermittedTaskRecordHasAHandler() {
    Set<Class<?>> leaves = new HashSet<>();
    ArrayDeque<Class<?>> todo = new ArrayDeque<>(List.of(Task.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else {
        leaves.add(c);
      }
    }
    Set<Class<?>> sampled = new HashSet<>();
    for (Task t : samples()) {
      sampled.add(t.getClass());
      h.handle(t);
      if (t instanceof dev.corral.supervisor.task.Command c && c.reply().isDone()) {
        try {
          c.reply().await(T);
        } catch (CorralException e) {
          assertFalse(e.getMessage().contains("no handler"), e.getMessage());
        }
      }
    }
    assertEquals(leaves, sampled);
    // A notification without a handler would be logged and counted as an internal error.
    assertEquals(0, h.metrics.taskErrors.getCount());
  }

  private ErrorKind kindOf(SignalTask t) {
    h.handle(t);
    h.settle();
    return assertThrows(CorralException.class, () -> t.reply().await(T)).kind();
  }
}
