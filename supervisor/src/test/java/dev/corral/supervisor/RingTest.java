package dev.corral.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.metrics.MetricCatalog;
import dev.corral.state.StateDir;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.loop.EventLoop;
import dev.corral.supervisor.loop.Ring;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ring and loop thread: a full ring refuses commands at once, never blocks. */
class RingTest {
  @TempDir Path tmp;

  private EventLoop loop(LoopGuard guard, Executor workers) throws Exception {
    StateDir state = StateDir.open(tmp);
    MetricCatalog metrics = new MetricCatalog();
    Notifier none = n -> {};
    ExitWatcher noWatch =
        new ExitWatcher() {
          @Override
          public void watch(dev.corral.monitor.Watch w) {}

          @Override
          public void unwatch(String key) {}
        };
    return new EventLoop(
        new EventLoop.Parts(
            guard,
            new ContainerTable(guard),
            new EventLog(guard, Clock.systemUTC(), 100, 100),
            new StatusWriter(state, Runnable::run),
            workers,
            none,
            noWatch,
            new FakeRuntime(),
            state,
            metrics,
            Clock.systemUTC(),
            "/corral",
            (delay, action) -> {}, // this test schedules nothing
            dev.corral.supervisor.restart.Backoff.DEFAULTS));
  }

  @Test
  void aFullRingAnswersUnavailableWithoutBlockingTheCaller() throws Exception {
    LoopGuard guard = new LoopGuard();
    CountDownLatch release = new CountDownLatch(1);
    // The loop's first task hands a job to this "worker pool", which holds the loop thread.
    Executor stuck =
        job -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    MetricCatalog metrics = new MetricCatalog();
    Ring ring = new Ring(8, guard, metrics);
    ring.start(loop(guard, stuck));
    Path bundle = Harness.bundle(tmp.resolve("b"));
    ring.submit(
        new StartTask(
            new CreateRequest(ContainerRef.of("c1"), bundle, Map.of(), false, false, List.of()),
            new Reply<>()));
    List<GetContainersTask> accepted = new ArrayList<>();
    CorralException refused = null;
    for (int i = 0; i < 100 && refused == null; i++) {
      GetContainersTask t = new GetContainersTask(null, null, Map.of(), new Reply<>());
      try {
        ring.submit(t);
        accepted.add(t);
      } catch (CorralException e) {
        refused = e;
      }
    }
    assertTrue(refused != null, "a ring of 8 took 100 commands");
    assertEquals(ErrorKind.UNAVAILABLE, refused.kind());
    assertEquals(1, metrics.ringFull.getCount());
    assertTrue(accepted.size() <= 8, "accepted " + accepted.size());
    release.countDown();
    for (GetContainersTask t : accepted) {
      assertEquals(1, t.reply().await(Duration.ofSeconds(10)).size()); // all answered after
    }
    ring.shutdown(5_000);
  }

  @Test
  void commandsFromManyThreadsAreAllHandledOnTheLoopThread() throws Exception {
    LoopGuard guard = new LoopGuard();
    Ring ring = new Ring(1024, guard, new MetricCatalog());
    ring.start(loop(guard, Runnable::run));
    List<Thread> producers = new ArrayList<>();
    List<GetContainersTask> all = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int p = 0; p < 4; p++) {
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  GetContainersTask task =
                      new GetContainersTask(null, null, Map.of(), new Reply<>());
                  ring.submit(task);
                  all.add(task);
                }
              });
      producers.add(t);
      t.start();
    }
    for (Thread t : producers) {
      t.join();
    }
    for (GetContainersTask t : all) {
      assertEquals(List.of(), t.reply().await(Duration.ofSeconds(10)));
    }
    assertEquals(800, all.size());
    ring.shutdown(5_000);
  }
}
