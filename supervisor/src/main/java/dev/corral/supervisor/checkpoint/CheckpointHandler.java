package dev.corral.supervisor.checkpoint;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.CheckpointView;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints: CreateCheckpointTask and its worker's result (the {@code checkpoint} event), and the
 * list and delete, which only touch files and so are done by a worker ({@link CheckpointJob}). One
 * checkpoint per container runs at a time. A failed checkpoint changes nothing: with {@code
 * leaveRunning} or not, CRIU only stops the container after a whole dump.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class CheckpointHandler {
  private static final Logger log = LoggerFactory.getLogger(CheckpointHandler.class);

  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final CheckpointJob job;
  private final EventLog events;

  public CheckpointHandler(
      LoopGuard guard, ContainerTable table, Executor workers, CheckpointJob job, EventLog events) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.events = events;
  }

  public void create(CreateCheckpointTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.status() != ContainerStatus.RUNNING || c.deleting()) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.ref(), c.status().wireName());
    }
    c.beginCheckpoint(t.reply());
    try {
      workers.execute(job.checkpoint(c.ref(), t.name(), t.options().spec()));
    } catch (CorralException e) {
      c.takeCheckpointReply();
      throw e;
    }
  }

  public void checkpointed(CheckpointResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    Reply<CheckpointView> reply = c == null ? null : c.takeCheckpointReply();
    if (reply == null) {
      log.debug("container {}: checkpoint result with nobody waiting", t.id());
      return;
    }
    if (t.error() != null) {
      reply.fail(t.error());
      return;
    }
    events.emit(EventType.CHECKPOINT, c.ref(), null, null);
    reply.complete(t.view());
  }

  public void delete(DeleteCheckpointTask t) {
    assert guard.inLoop();
    table.require(t.id());
    workers.execute(job.delete(t.id(), t.name(), t.reply()));
  }

  public void list(ListCheckpointsTask t) {
    assert guard.inLoop();
    table.require(t.id());
    workers.execute(job.list(t.id(), t.reply()));
  }
}
