package dev.corral.supervisor.restart;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitor;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.RestartState;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.RestartResultTask;
import dev.corral.supervisor.task.RestartTask;
import dev.corral.supervisor.task.StartExistingTask;
import dev.corral.supervisor.task.UpdateRestartPolicyTask;
import dev.corral.supervisor.thread.Delays;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart monitor and the start of a stopped container. As a {@link ContainerMonitor} it sees
 * each recorded exit and, when the policy says so, schedules a {@link RestartTask} after the
 * backoff on the timer thread (the loop never sleeps). A restart, and a user's {@code start}
 * ({@link StartExistingTask}), move the container stopped → creating and hand {@link RestartJob} to
 * a worker; its {@link RestartResultTask} makes it running (events {@code start-container}, then
 * {@code restart} for a policy's restart) or stopped again (a failed restart is reported by a
 * {@code restart} event with a reason and retried after the next backoff).
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class RestartHandler implements ContainerMonitor {
  private static final Logger log = LoggerFactory.getLogger(RestartHandler.class);

  /** What it is built from besides the loop's guard and table. */
  public record Parts(
      Executor workers,
      RestartJob job,
      ExitHandler exits,
      EventLog events,
      StatusWriter status,
      Delays delays,
      Notifier notifier,
      Backoff backoff,
      MetricCatalog metrics) {}

  private final LoopGuard guard;
  private final ContainerTable table;
  private final Parts p;
  private final Map<ContainerRef, Reply<ContainerView>> userStarts = new HashMap<>(); // loop thread
  private long tokens; // loop thread: the last token handed out

  public RestartHandler(LoopGuard guard, ContainerTable table, Parts parts) {
    this.guard = guard;
    this.table = table;
    this.p = parts;
  }

  /** A token no other restart or stop has had. */
  public long nextToken() {
    assert guard.inLoop();
    return ++tokens;
  }

  @Override
  public void started(Container c) {
    assert guard.inLoop();
  }

  @Override
  public void exited(Container c) {
    assert guard.inLoop();
    RestartState r = c.restart();
    if (Backoff.ranLongEnough(c.startedAt(), c.exitedAt())) {
      r.resetBackoff();
    }
    if (!c.deleting() && r.policy().restartsAfter(exitCode(c), r.restartCount(), r.userStopped())) {
      schedule(c);
    }
  }

  @Override
  public void recovered(Container c) {
    assert guard.inLoop();
    RestartState r = c.restart();
    if (c.status() == ContainerStatus.STOPPED
        && r.policy().restartsAtDaemonStart(exitCode(c), r.restartCount(), r.userStopped())) {
      log.info("container {}: restarting it after the daemon's start", c.ref());
      r.restartedAtDaemonStart();
      schedule(c);
    }
  }

  private void schedule(Container c) {
    long token = nextToken();
    c.restart().schedule(token);
    Duration d = p.backoff().delay(c.restart().consecutive());
    ContainerRef id = c.ref();
    log.debug("container {}: restart {} in {} ms", id, token, d.toMillis());
    p.delays().after(d, () -> p.notifier().publish(new RestartTask(id, token)));
  }

  /** The backoff is over: the restart begins, unless it was cancelled meanwhile. */
  public void restart(RestartTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null || c.deleting() || c.status() != ContainerStatus.STOPPED) {
      return;
    }
    if (!c.restart().isPending(t.token())) {
      log.debug("container {}: restart {} was cancelled", t.id(), t.token());
      return;
    }
    try {
      begin(c, t.token());
    } catch (CorralException busy) {
      log.warn("container {}: restart deferred: {}", c.ref(), busy.getMessage());
      schedule(c);
    }
  }

  /** A user's start of a stopped container: answered once it runs. */
  public void start(StartExistingTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.deleting() || c.status() != ContainerStatus.STOPPED) {
      throw CorralException.failedPrecondition(
          "container %s: is %s; only a stopped container can be started",
          c.ref(), c.deleting() ? "being deleted" : c.status().wireName());
    }
    c.restart().startedByUser(nextToken());
    p.status().writeRestart(c);
    begin(c, 0);
    userStarts.put(c.ref(), t.reply());
  }

  /** Changes the policy; a scheduled restart the new policy would not make is cancelled. */
  public void update(UpdateRestartPolicyTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.status() == ContainerStatus.CREATING) {
      // Its start writes the create's restart record; a change now could be overwritten.
      throw CorralException.failedPrecondition(
          "container %s: is being created or started; change its restart policy after", c.ref());
    }
    c.restart().policy(t.policy());
    if (c.status() == ContainerStatus.STOPPED
        && !t.policy().restartsAfter(exitCode(c), c.restart().restartCount(), false)) {
      c.restart().schedule(0);
    }
    p.status().writeRestart(c);
    p.events().emit(EventType.UPDATE, c.ref(), null, null);
    t.reply().complete(c.view());
  }

  /**
   * stopped → creating, and the job to a worker.
   *
   * @throws CorralException unavailable when the worker queue is full (the container stays stopped)
   */
  private void begin(Container c, long token) {
    StatusRecord exited = c.statusRecord();
    c.restarting();
    try {
      p.workers().execute(p.job().restart(c.meta(), token, exited, c.created()));
    } catch (CorralException e) {
      c.restartFailed();
      c.restart().settled();
      throw e;
    }
  }

  public void restarted(RestartResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null || c.status() != ContainerStatus.CREATING) {
      // Deletes and creates are refused while a restart runs: this cannot come from a real job.
      log.error("container {}: restart result while it is not restarting", t.id());
      return;
    }
    Reply<ContainerView> user = userStarts.remove(c.ref());
    if (t.error() != null) {
      failed(c, t, user);
      return;
    }
    c.restarted(t.created(), t.startedAt());
    p.events().emit(EventType.START_CONTAINER, c.ref(), Ids.INIT, null);
    if (user == null) {
      counted(c, null);
    } else {
      c.restart().settled();
      user.complete(c.view());
    }
    p.status().write(c);
    p.status().writeRestart(c);
    p.exits().started(c);
  }

  private void failed(Container c, RestartResultTask t, Reply<ContainerView> user) {
    c.restartFailed();
    // An exit of the failed run may have come in (and been held) before its watch was dropped:
    // it belongs to no run, and must not be replayed onto the next one.
    p.exits().forget(c.ref());
    log.warn("container {}: {}", c.ref(), t.error().getMessage());
    if (user != null) {
      c.restart().settled();
      user.fail(t.error());
      return;
    }
    counted(c, "failed: " + t.error().getMessage());
    p.status().writeRestart(c);
    RestartState r = c.restart();
    if (r.policy().restartsAfter(exitCode(c), r.restartCount(), r.userStopped())) {
      schedule(c);
    }
  }

  /** A policy's restart was attempted: counted, and reported by a {@code restart} event. */
  private void counted(Container c, String error) {
    c.restart().attempted();
    p.metrics().restarts(c.ref()).inc();
    p.events().emit(EventType.RESTART, c.ref(), null, c.restart().restartCount(), error);
  }

  private static int exitCode(Container c) {
    return c.exitView().exitCode();
  }
}
