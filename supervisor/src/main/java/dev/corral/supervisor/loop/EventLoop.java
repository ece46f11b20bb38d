package dev.corral.supervisor.loop;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.metrics.MetricCatalog;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.checkpoint.CheckpointHandler;
import dev.corral.supervisor.checkpoint.CheckpointJob;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.exec.ProcessHandler;
import dev.corral.supervisor.exec.ProcessJob;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.exit.ExitJob;
import dev.corral.supervisor.exit.OOMHandler;
import dev.corral.supervisor.io.AttachHandler;
import dev.corral.supervisor.io.AttachJob;
import dev.corral.supervisor.io.LogsHandler;
import dev.corral.supervisor.lifecycle.DeleteHandler;
import dev.corral.supervisor.lifecycle.DeleteJob;
import dev.corral.supervisor.lifecycle.NamespaceHandler;
import dev.corral.supervisor.lifecycle.QueryHandler;
import dev.corral.supervisor.lifecycle.StartHandler;
import dev.corral.supervisor.lifecycle.StartJob;
import dev.corral.supervisor.model.ContainerMonitor;
import dev.corral.supervisor.model.ContainerMonitors;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.pod.PodHandler;
import dev.corral.supervisor.recovery.RecoverHandler;
import dev.corral.supervisor.restart.Backoff;
import dev.corral.supervisor.restart.RestartHandler;
import dev.corral.supervisor.restart.RestartJob;
import dev.corral.supervisor.restart.StopHandler;
import dev.corral.supervisor.restart.StopJob;
import dev.corral.supervisor.signal.SignalHandler;
import dev.corral.supervisor.signal.SignalJob;
import dev.corral.supervisor.stats.StatsHandler;
import dev.corral.supervisor.stats.StatsJob;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.AttachTask;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.CreatePodTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.DeleteNamespaceTask;
import dev.corral.supervisor.task.DeletePodTask;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.task.ListNamespacesTask;
import dev.corral.supervisor.task.ListPodsTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.LogsTask;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.PodStatusTask;
import dev.corral.supervisor.task.PodWaitsExpireTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RestartResultTask;
import dev.corral.supervisor.task.RestartTask;
import dev.corral.supervisor.task.ShimLostTask;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.StartExistingTask;
import dev.corral.supervisor.task.StartResultTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.task.StatsTask;
import dev.corral.supervisor.task.StopTask;
import dev.corral.supervisor.task.StopTimeoutTask;
import dev.corral.supervisor.task.SubscribeTask;
import dev.corral.supervisor.task.Task;
import dev.corral.supervisor.task.UnsubscribeTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.UpdateRestartPolicyTask;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.Delays;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.update.UpdateHandler;
import dev.corral.supervisor.update.UpdateJob;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place tasks are dispatched: an instanceof chain over the sealed {@link Task} family that
 * ends in an AssertionError (a test walks the permitted subclasses so a task without a handler
 * fails the build). A handler that throws has the task's reply failed and the loop goes on: one bad
 * task never stops the supervisor.
 *
 * <p>Loop thread only: the ring's consumer thread in the daemon, the test thread in unit tests.
 */
public final class EventLoop {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  /**
   * What the loop is built from: the loop-confined parts (table, event log, status writer), the
   * worker pool and where workers publish, the leaves the jobs call, and the timer behind restart
   * backoffs and stop deadlines. Only this constructor reads it; each handler and job receives just
   * the parts it uses.
   */
  public record Parts(
      LoopGuard guard,
      ContainerTable table,
      EventLog events,
      StatusWriter status,
      Executor workers,
      Notifier notifier,
      ExitWatcher watcher,
      ContainerRuntime runtime,
      StateDir state,
      MetricCatalog metrics,
      Clock clock,
      String cgroupParent,
      Delays delays,
      Backoff backoff) {}

  private final LoopGuard guard;
  private final EventLog events;
  private final StatusWriter status;
  private final MetricCatalog metrics;
  private final StartHandler starts;
  private final ExitHandler exits;
  private final DeleteHandler deletes;
  private final SignalHandler signals;
  private final QueryHandler queries;
  private final UpdateHandler updates;
  private final ProcessHandler processes;
  private final StatsHandler stats;
  private final CheckpointHandler checkpoints;
  private final OOMHandler ooms;
  private final RecoverHandler recovers;
  private final NamespaceHandler namespaces;
  private final PodHandler pods;
  private final AttachHandler attaches;
  private final LogsHandler logs;
  private final LoopGauges gauges;
  private final RestartHandler restarts;
  private final StopHandler stops;
  private final ContainerMonitors monitors;

  public EventLoop(Parts p) {
    this.guard = p.guard();
    this.events = p.events();
    this.status = p.status();
    this.metrics = p.metrics();
    Executor w = p.workers();
    ContainerTable table = p.table();
    DeleteJob deleteJob = new DeleteJob(p.runtime(), p.state(), p.notifier(), p.watcher(), metrics);
    this.deletes = new DeleteHandler(guard, table, w, deleteJob, events);
    this.ooms = new OOMHandler(guard, table, events, metrics);
    ExitJob exitJob = new ExitJob(p.runtime(), p.notifier(), p.watcher(), p.clock());
    this.monitors = new ContainerMonitors();
    this.exits =
        new ExitHandler(
            guard,
            table,
            w,
            exitJob,
            ooms,
            events,
            status,
            metrics,
            deletes::beginRemoval,
            monitors);
    StartJob startJob =
        new StartJob(
            p.runtime(),
            p.state(),
            p.notifier(),
            p.watcher(),
            metrics,
            p.clock(),
            p.cgroupParent(),
            deleteJob);
    this.starts = new StartHandler(guard, table, w, startJob, exits, events, status, p.clock());
    RestartJob restartJob =
        new RestartJob(p.runtime(), p.state(), p.notifier(), p.watcher(), startJob, p.clock());
    this.restarts =
        new RestartHandler(
            guard,
            table,
            new RestartHandler.Parts(
                w,
                restartJob,
                exits,
                events,
                status,
                p.delays(),
                p.notifier(),
                p.backoff(),
                metrics));
    this.stops =
        new StopHandler(
            guard,
            table,
            w,
            new StopJob(p.runtime(), p.state()),
            events,
            status,
            p.delays(),
            p.notifier(),
            restarts::nextToken);
    monitors.add(stops).add(restarts);
    ProcessJob processJob =
        new ProcessJob(p.runtime(), p.notifier(), p.state(), p.watcher(), metrics);
    this.processes = new ProcessHandler(guard, table, w, processJob, exits, events);
    SignalJob signalJob = new SignalJob(p.runtime(), p.notifier(), metrics);
    this.signals = new SignalHandler(guard, table, w, signalJob, status);
    this.queries = new QueryHandler(guard, table);
    this.recovers = new RecoverHandler(guard, table, events, status, monitors);
    this.pods =
        new PodHandler(
            guard,
            table,
            events,
            new PodHandler.Parts(
                starts,
                stops,
                deletes,
                signals,
                p.delays(),
                p.notifier(),
                p.state().sandboxRootfs(),
                p.cgroupParent()));
    monitors.add(pods);
    events.attach(pods::podOf, pods::recorded);
    this.namespaces = new NamespaceHandler(guard, table, p.state(), p.cgroupParent(), pods::count);
    this.updates =
        new UpdateHandler(
            guard,
            table,
            w,
            new UpdateJob(p.runtime(), p.notifier(), metrics, p.state()),
            events,
            status);
    this.stats = new StatsHandler(guard, table, w, new StatsJob(p.notifier(), metrics));
    CheckpointJob checkpointJob = new CheckpointJob(p.runtime(), p.notifier(), p.state(), metrics);
    this.checkpoints = new CheckpointHandler(guard, table, w, checkpointJob, events);
    this.attaches = new AttachHandler(guard, table, w, new AttachJob(p.runtime(), p.notifier()));
    this.logs = new LogsHandler(guard, table, p.state());
    this.gauges = new LoopGauges(guard, table, events, metrics);
  }

  /**
   * Adds a monitor told of every container start and exit after the ones the loop has (the restart
   * policy's and the stop's); call before the loop runs tasks.
   */
  public void monitor(ContainerMonitor m) {
    monitors.add(m);
  }

  /** Handles one task; never throws. */
  public void handle(Task task) {
    assert guard.inLoop() : "EventLoop.handle off the loop thread";
    metrics.tasks(task.getClass().getSimpleName()).inc();
    try {
      dispatch(task);
    } catch (RuntimeException | AssertionError e) {
      failed(task, e);
    }
  }

  /**
   * The ring's end-of-batch signal: the batch's events are journaled with one write and become
   * visible to subscribers, and the gauges are published (once a batch: they walk the table). Never
   * throws.
   */
  public void endOfBatch() {
    assert guard.inLoop() : "EventLoop.endOfBatch off the loop thread";
    try {
      pods.endOfBatch(); // may emit pod events: before the batch's events are published
      events.endOfBatch();
      gauges.publish(); // walks the table: after the subscribers have been woken
      flushStatus();
    } catch (RuntimeException e) {
      metrics.taskErrors.inc();
      log.error("end of batch failed", e);
    }
  }

  /** The loop is stopping: the event journal is flushed and closed on the loop thread. */
  public void shutdown() {
    assert guard.inLoop() : "EventLoop.shutdown off the loop thread";
    events.close();
    flushStatus();
  }

  /**
   * After the journal write (see StatusWriter), and only once no event waits for disk space: a
   * record saying an exit was reported must never be on disk before that exit's event.
   */
  private void flushStatus() {
    if (events.unjournaled() == 0) {
      status.flush();
    }
  }

  private void dispatch(Task task) {
    if (task instanceof StartTask t) {
      starts.start(pods.prepare(t));
    } else if (task instanceof StartResultTask t) {
      starts.started(t);
    } else if (task instanceof ExitTask t) {
      exits.exit(t);
    } else if (task instanceof OOMTask t) {
      ooms.oom(t);
    } else if (task instanceof SignalTask t) {
      signals.signal(t);
    } else if (task instanceof DeleteTask t) {
      deletes.delete(pods.guard(t));
    } else if (task instanceof DeleteResultTask t) {
      deletes.removed(t);
    } else if (task instanceof GetContainersTask t) {
      queries.get(t);
    } else if (task instanceof WaitTask t) {
      queries.waitFor(t);
    } else if (task instanceof AnswerTask<?> t) {
      t.deliver();
    } else if (task instanceof SubscribeTask t) {
      events.subscribe(t.subscriber());
      t.reply().complete(null);
    } else if (task instanceof UnsubscribeTask t) {
      events.unsubscribe(t.subscriberId());
    } else if (task instanceof ShimLostTask t) {
      exits.shimLost(t);
    } else if (task instanceof RecoverTask t) {
      recovers.recover(t);
      pods.recoveryDone();
    } else if (task instanceof UpdateTask t) {
      updates.update(t);
    } else if (task instanceof UpdateResultTask t) {
      updates.updated(t);
    } else if (task instanceof AddProcessTask t) {
      processes.add(t);
    } else if (task instanceof AddProcessResultTask t) {
      processes.added(t);
    } else if (task instanceof WaitProcessTask t) {
      processes.waitFor(t);
    } else if (task instanceof ListProcessesTask t) {
      processes.list(t);
    } else if (task instanceof StatsTask t) {
      stats.stats(t);
    } else if (task instanceof UpdateProcessTask t) {
      processes.update(t);
    } else if (task instanceof CreateCheckpointTask t) {
      checkpoints.create(t);
    } else if (task instanceof CheckpointResultTask t) {
      checkpoints.checkpointed(t);
    } else if (task instanceof DeleteCheckpointTask t) {
      checkpoints.delete(t);
    } else if (task instanceof ListCheckpointsTask t) {
      checkpoints.list(t);
    } else if (task instanceof AttachTask t) {
      attaches.attach(t);
    } else if (task instanceof LogsTask t) {
      logs.logs(t);
    } else if (task instanceof StopTask t) {
      stops.stop(t);
    } else if (task instanceof StopTimeoutTask t) {
      stops.timeout(t);
    } else if (task instanceof StartExistingTask t) {
      restarts.start(t);
    } else if (task instanceof RestartTask t) {
      restarts.restart(t);
    } else if (task instanceof RestartResultTask t) {
      restarts.restarted(t);
    } else if (task instanceof UpdateRestartPolicyTask t) {
      restarts.update(t);
    } else if (task instanceof ListNamespacesTask t) {
      namespaces.list(t);
    } else if (task instanceof DeleteNamespaceTask t) {
      namespaces.delete(t);
    } else if (task instanceof CreatePodTask t) {
      pods.create(t);
    } else if (task instanceof ListPodsTask t) {
      pods.list(t);
    } else if (task instanceof PodStatusTask t) {
      pods.status(t);
    } else if (task instanceof DeletePodTask t) {
      pods.delete(t);
    } else if (task instanceof PodWaitsExpireTask t) {
      pods.expire(t);
    } else {
      throw new AssertionError("no handler for task " + task.getClass().getName());
    }
  }

  private void failed(Task task, Throwable e) {
    CorralException error = CorralException.wrap(e, "task " + task.getClass().getSimpleName());
    if (error.kind() == ErrorKind.INTERNAL) {
      metrics.taskErrors.inc();
      log.error("task {} failed", task.getClass().getSimpleName(), e);
    }
    if (task instanceof Command c) {
      c.reply().fail(error);
    }
  }
}
