package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.CheckpointResultTask;
import dev.corral.supervisor.task.CreateCheckpointTask;
import dev.corral.supervisor.task.DeleteCheckpointTask;
import dev.corral.supervisor.task.ListCheckpointsTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints: CreateCheckpointTask and its worker's result (the {@code checkpoint} event), and the
 * list and delete, which only touch files and so are answered by a worker. One checkpoint per
 * container runs at a time. A failed checkpoint changes nothing: with {@code leaveRunning} or not,
 * CRIU only stops the container after a whole dump.
 *
 * <p>Loop thread only.
 */
final class CheckpointHandler {
  private static final Logger log = LoggerFactory.getLogger(CheckpointHandler.class);

  private final LoopContext ctx;

  CheckpointHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void create(CreateCheckpointTask t) {
    Container c = ctx.require(t.id());
    if (c.status() != ContainerStatus.RUNNING || c.deleting()) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.id(), c.status().wireName());
    }
    c.beginCheckpoint(t.reply());
    try {
      ctx.workers().execute(ctx.jobs().live().checkpoint(c.id(), t.name(), t.options()));
    } catch (CorralException e) {
      c.takeCheckpointReply();
      throw e;
    }
  }

  void checkpointed(CheckpointResultTask t) {
    Container c = ctx.table().get(t.id());
    Reply<CheckpointView> reply = c == null ? null : c.takeCheckpointReply();
    if (reply == null) {
      log.debug("container {}: checkpoint result with nobody waiting", t.id());
      return;
    }
    if (t.error() != null) {
      reply.fail(t.error());
      return;
    }
    ctx.events().emit(EventType.CHECKPOINT, c.id(), null, null);
    reply.complete(t.view());
  }

  void delete(DeleteCheckpointTask t) {
    ctx.require(t.id());
    ctx.workers().execute(ctx.jobs().live().deleteCheckpoint(t.id(), t.name(), t.reply()));
  }

  void list(ListCheckpointsTask t) {
    ctx.require(t.id());
    ctx.workers().execute(ctx.jobs().live().listCheckpoints(t.id(), t.reply()));
  }
}
