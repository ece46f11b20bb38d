package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.DeleteTask;

/**
 * DeleteTask and its worker's result. A stopped container is removed at once; a running one only
 * with force, which kills it first and removes it when its exit arrives, so a delete always shows
 * {@code exit} then {@code delete}. Deletes of a container already being deleted join the one in
 * flight.
 *
 * <p>Loop thread only.
 */
final class DeleteHandler {
  private final LoopContext ctx;

  DeleteHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void delete(DeleteTask t) {
    Container c = ctx.require(t.id());
    if (c.deleting()) {
      c.addDeleteReply(t.reply());
      return;
    }
    switch (c.status()) {
      case CREATING:
        throw CorralException.failedPrecondition("container %s: is being created", c.id());
      case RUNNING:
      case PAUSED: // runc kill --all thaws the freezer around the signal
        if (!t.force()) {
          throw CorralException.failedPrecondition(
              "container %s: is running; stop it first or delete with force=1", c.id());
        }
        ctx.workers().execute(ctx.jobs().killForDelete(c.id()));
        c.markDeleting(t.reply());
        return;
      case STOPPED:
        c.markDeleting(t.reply());
        beginRemoval(c);
        return;
      default:
        throw new AssertionError(c.status());
    }
  }

  /** Hands the removal of a stopped container to a worker. */
  void beginRemoval(Container c) {
    try {
      ctx.workers().execute(ctx.jobs().remove(c.id()));
    } catch (CorralException e) {
      c.finishDelete(e);
    }
  }

  void removed(DeleteResultTask t) {
    Container c = ctx.table().get(t.id());
    if (c == null) {
      return;
    }
    if (t.error() != null) {
      c.finishDelete(t.error());
      return;
    }
    ctx.table().remove(c.id());
    ctx.events().emit(EventType.DELETE, c.id(), null, null);
    c.finishDelete(null);
  }
}
