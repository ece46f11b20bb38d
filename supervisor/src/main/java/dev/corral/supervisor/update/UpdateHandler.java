package dev.corral.supervisor.update;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.ContainerView;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UpdateTask (pause, resume, resources) and its worker's result. The move is checked on the loop
 * before runc runs, so an illegal one (pause of a paused container) is refused at once; the status
 * changes, and the event is emitted, only when runc reports success. One update per container is in
 * flight at a time: a second one is refused rather than raced against the first.
 *
 * <p>Loop thread only; every method asserts it. Its blocking half is {@link UpdateJob}.
 */
public final class UpdateHandler {
  private static final Logger log = LoggerFactory.getLogger(UpdateHandler.class);
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final UpdateJob job;
  private final EventLog events;
  private final StatusWriter status;

  public UpdateHandler(
      LoopGuard guard,
      ContainerTable table,
      Executor workers,
      UpdateJob job,
      EventLog events,
      StatusWriter status) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.events = events;
    this.status = status;
  }

  public void update(UpdateTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    check(c, t.action());
    c.beginUpdate(t.reply());
    try {
      workers.execute(job.update(c.ref(), t.action(), t.resources()));
    } catch (CorralException e) {
      c.takeUpdateReply();
      throw e;
    }
  }

  private static void check(Container c, UpdateTask.Action action) {
    if (c.deleting()) {
      throw CorralException.failedPrecondition("container %s: is being deleted", c.ref());
    }
    switch (action) {
      case PAUSE -> requireStatus(c, ContainerStatus.RUNNING, "already paused", "pause");
      case RESUME -> requireStatus(c, ContainerStatus.PAUSED, "running, not paused", "resume");
      case RESOURCES -> {
        if (!c.live()) {
          throw notLive(c, "update");
        }
      }
    }
  }

  private static void requireStatus(
      Container c, ContainerStatus wanted, String otherLive, String verb) {
    if (c.status() == wanted) {
      return;
    }
    if (c.live()) {
      throw CorralException.failedPrecondition("container %s: is %s", c.ref(), otherLive);
    }
    throw notLive(c, verb);
  }

  private static CorralException notLive(Container c, String verb) {
    return CorralException.failedPrecondition(
        "container %s: cannot %s it while %s", c.ref(), verb, c.status().wireName());
  }

  public void updated(UpdateResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    Reply<ContainerView> reply = c == null ? null : c.takeUpdateReply();
    if (reply == null) {
      // Deleted meanwhile (it exited, then was removed); the caller's deadline answers it.
      log.debug("container {}: update result with nobody waiting", t.id());
      return;
    }
    if (t.error() != null) {
      reply.fail(t.error());
      return;
    }
    if (!c.live()) {
      // It exited while runc worked: the exit is the news, not the pause.
      reply.fail(notLive(c, t.action().name().toLowerCase(java.util.Locale.ROOT)));
      return;
    }
    if (t.resources() != null) {
      c.resourcesChanged(t.resources());
    }
    events.emit(apply(c, t.action()), c.ref(), null, null);
    status.write(c);
    reply.complete(c.view());
  }

  private static EventType apply(Container c, UpdateTask.Action action) {
    switch (action) {
      case PAUSE:
        c.paused();
        return EventType.PAUSE;
      case RESUME:
        c.resumed();
        return EventType.RESUME;
      default:
        return EventType.UPDATE;
    }
  }
}
