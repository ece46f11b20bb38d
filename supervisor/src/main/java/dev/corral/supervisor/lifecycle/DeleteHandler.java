package dev.corral.supervisor.lifecycle;

import dev.corral.core.CorralException;
import dev.corral.metrics.CgroupTarget;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.DeleteTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.concurrent.Executor;

/**
 * DeleteTask and its worker's result ({@link DeleteJob}). A stopped container is removed at once; a
 * running one only with force, which kills it first and removes it when its exit arrives (the exit
 * handler calls {@link #beginRemoval}), so a delete always shows {@code exit} then {@code delete}.
 * An {@code unknown} container (its records were damaged, its shim is not known) is unwatched: a
 * forced delete kills and removes it in one job, and shows only {@code delete}. Deletes of a
 * container already being deleted join the one in flight.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class DeleteHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final DeleteJob job;
  private final EventLog events;

  public DeleteHandler(
      LoopGuard guard, ContainerTable table, Executor workers, DeleteJob job, EventLog events) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.events = events;
  }

  public void delete(DeleteTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.deleting()) {
      c.addDeleteReply(t.reply());
      return;
    }
    switch (c.status()) {
      case CREATING:
        throw CorralException.failedPrecondition("container %s: is being created", c.ref());
      case RUNNING:
      case PAUSED: // runc kill --all thaws the freezer around the signal
        if (!t.force()) {
          throw CorralException.failedPrecondition(
              "container %s: is running; stop it first or delete with force=1", c.ref());
        }
        workers.execute(job.killForDelete(c.ref()));
        c.markDeleting(t.reply());
        return;
      case STOPPED:
        c.markDeleting(t.reply());
        beginRemoval(c);
        return;
      case UNKNOWN: // unwatched: no exit will come, so the removal follows the kill at once
        if (!t.force()) {
          throw CorralException.failedPrecondition(
              "container %s: its state is unknown; delete with force=1 to kill and remove it",
              c.ref());
        }
        c.markDeleting(t.reply());
        workers.execute(job.killAndRemove(new CgroupTarget(c.ref(), c.cgroupsPath())));
        return;
      default:
        throw new AssertionError(c.status());
    }
  }

  /** Hands the removal of a stopped container to a worker. */
  public void beginRemoval(Container c) {
    assert guard.inLoop();
    try {
      workers.execute(job.remove(new CgroupTarget(c.ref(), c.cgroupsPath()), c.created()));
    } catch (CorralException e) {
      c.finishDelete(e);
    }
  }

  public void removed(DeleteResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null) {
      return;
    }
    if (t.error() != null) {
      c.finishDelete(t.error());
      return;
    }
    // While it is still in the table: its event names its pod, found from its labels.
    events.emit(EventType.DELETE, c.ref(), null, null);
    table.remove(c.ref());
    c.finishDelete(null);
  }
}
