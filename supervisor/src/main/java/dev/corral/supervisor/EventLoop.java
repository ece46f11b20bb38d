package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.Command;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.OOMTask;
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.ShimLostTask;
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

  private final LoopContext ctx;
  private final StartHandler starts;
  private final ExitHandler exits;
  private final DeleteHandler deletes;
  private final SignalHandler signals;
  private final QueryHandler queries;
  private final UpdateHandler updates;
  private final ProcessHandler processes;
  private final StatsHandler stats;
  private final CheckpointHandler checkpoints;
  private final OomHandler ooms;
  private final RecoverHandler recovers;

  EventLoop(LoopContext ctx) {
    this.ctx = ctx;
    this.exits = new ExitHandler(ctx);
    this.ooms = new OomHandler(ctx);
    this.starts = new StartHandler(ctx, exits, ooms);
    this.deletes = new DeleteHandler(ctx);
    this.processes = new ProcessHandler(ctx);
    this.signals = new SignalHandler(ctx, processes);
    this.queries = new QueryHandler(ctx);
    this.recovers = new RecoverHandler(ctx);
    this.updates = new UpdateHandler(ctx);
    this.stats = new StatsHandler(ctx);
    this.checkpoints = new CheckpointHandler(ctx);
    exits.wire(deletes);
    exits.wire(processes);
    processes.wire(exits);
  }

  /** Handles one task; never throws. */
  public void handle(Task task) {
    assert ctx.guard().inLoop() : "EventLoop.handle off the loop thread";
    ctx.metrics().tasks(task.getClass().getSimpleName()).inc();
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
    assert ctx.guard().inLoop() : "EventLoop.endOfBatch off the loop thread";
    try {
      LoopGauges.publish(ctx);
      ctx.events().endOfBatch();
      flushStatus();
    } catch (RuntimeException e) {
      ctx.metrics().taskErrors.inc();
      log.error("end of batch failed", e);
    }
  }

  /** The loop is stopping: the event journal is flushed and closed on the loop thread. */
  public void shutdown() {
    assert ctx.guard().inLoop() : "EventLoop.shutdown off the loop thread";
    ctx.events().close();
    flushStatus();
  }

  /**
   * After the journal write (see StatusWriter), and only once no event waits for disk space: a
   * record saying an exit was reported must never be on disk before that exit's event.
   */
  private void flushStatus() {
    if (ctx.events().unjournaled() == 0) {
      ctx.status().flush();
    }
  }

  private void dispatch(Task task) {
    if (task instanceof StartTask t) {
      starts.start(t);
    } else if (task instanceof StartResultTask t) {
      starts.started(t);
    } else if (task instanceof ExitTask t) {
      exits.exit(t);
    } else if (task instanceof OOMTask t) {
      ooms.oom(t);
    } else if (task instanceof SignalTask t) {
      signals.signal(t);
    } else if (task instanceof DeleteTask t) {
      deletes.delete(t);
    } else if (task instanceof DeleteResultTask t) {
      deletes.removed(t);
    } else if (task instanceof GetContainersTask t) {
      queries.get(t);
    } else if (task instanceof WaitTask t) {
      queries.waitFor(t);
    } else if (task instanceof SubscribeTask t) {
      ctx.events().subscribe(t.subscriber());
      t.reply().complete(null);
    } else if (task instanceof UnsubscribeTask t) {
      ctx.events().unsubscribe(t.subscriberId());
    } else if (task instanceof ShimLostTask t) {
      exits.shimLost(t);
    } else if (task instanceof RecoverTask t) {
      recovers.recover(t);
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
    } else {
      throw new AssertionError("no handler for task " + task.getClass().getName());
    }
  }

  private void failed(Task task, Throwable e) {
    CorralException error = CorralException.wrap(e, "task " + task.getClass().getSimpleName());
    if (error.kind() == dev.corral.core.ErrorKind.INTERNAL) {
      ctx.metrics().taskErrors.inc();
      log.error("task {} failed", task.getClass().getSimpleName(), e);
    }
    if (task instanceof Command c) {
      c.reply().fail(error);
    }
  }
}
