package dev.corral.supervisor.restart;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitor;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.StopTask;
import dev.corral.supervisor.task.StopTimeoutTask;
import dev.corral.supervisor.thread.Delays;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * StopTask: marks the container stopped by its user (no restart policy runs it again until the next
 * start), has {@link StopJob} send its stop signal, and asks the timer thread for a {@link
 * StopTimeoutTask} after the grace period, which KILLs what still runs. As a {@link
 * ContainerMonitor} it answers the stops waiting on a container when its exit is recorded, after
 * emitting {@code stop}. A stop of a stopped container only sets the mark (and cancels a scheduled
 * restart) and answers at once.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class StopHandler implements ContainerMonitor {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final StopJob job;
  private final EventLog events;
  private final StatusWriter status;
  private final Delays delays;
  private final Notifier notifier;
  private final LongSupplier tokens;
  private final Map<ContainerRef, List<Reply<ContainerView>>> waiting =
      new HashMap<>(); // loop thread

  public StopHandler(
      LoopGuard guard,
      ContainerTable table,
      Executor workers,
      StopJob job,
      EventLog events,
      StatusWriter status,
      Delays delays,
      Notifier notifier,
      LongSupplier tokens) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.events = events;
    this.status = status;
    this.delays = delays;
    this.notifier = notifier;
    this.tokens = tokens;
  }

  public void stop(StopTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.status() == ContainerStatus.STOPPED && !c.deleting()) {
      c.restart().stoppedByUser();
      status.writeRestart(c);
      t.reply().complete(c.view());
      return;
    }
    if (c.status() != ContainerStatus.RUNNING || c.deleting()) {
      throw CorralException.failedPrecondition(
          "container %s: cannot stop it while %s",
          c.ref(), c.deleting() ? "being deleted" : c.status().wireName());
    }
    boolean first = !waiting.containsKey(c.ref());
    if (first) {
      signal(c, t.timeoutSeconds());
    }
    c.restart().stoppedByUser();
    status.writeRestart(c);
    waiting.computeIfAbsent(c.ref(), k -> new ArrayList<>()).add(t.reply());
  }

  /** The stop signal now, KILL when the grace is over (a second stop only waits with the first). */
  private void signal(Container c, int timeoutSeconds) {
    ContainerRef id = c.ref();
    workers.execute(job.signal(id));
    long token = tokens.getAsLong();
    c.restart().stopping(token);
    delays.after(
        Duration.ofSeconds(timeoutSeconds), () -> notifier.publish(new StopTimeoutTask(id, token)));
  }

  /** The grace is over: KILL, if the run that was asked to stop still lives. */
  public void timeout(StopTimeoutTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c != null && c.live() && c.restart().isStopping(t.token())) {
      workers.execute(job.kill(c.ref()));
    }
  }

  @Override
  public void started(Container c) {
    assert guard.inLoop();
  }

  @Override
  public void exited(Container c) {
    assert guard.inLoop();
    c.restart().stopping(0);
    List<Reply<ContainerView>> replies = waiting.remove(c.ref());
    if (replies != null) {
      events.emit(EventType.STOP, c.ref(), null, null);
      ContainerView v = c.view();
      replies.forEach(r -> r.complete(v));
    }
  }
}
