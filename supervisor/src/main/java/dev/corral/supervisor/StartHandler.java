package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.core.Timestamps;
import dev.corral.state.ContainerRecord;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.StartResultTask;
import dev.corral.supervisor.task.StartTask;
import java.time.Instant;

/**
 * StartTask and its worker's result. The id is reserved in the table (status creating) before the
 * worker runs, so a second create of the same id is refused at once; the container turns running
 * only when the worker reports runc start done.
 *
 * <p>Loop thread only.
 */
final class StartHandler {
  private final LoopContext ctx;
  private final ExitHandler exits;
  private final OomHandler ooms;

  StartHandler(LoopContext ctx, ExitHandler exits, OomHandler ooms) {
    this.ctx = ctx;
    this.exits = exits;
    this.ooms = ooms;
  }

  void start(StartTask t) {
    CreateRequest r = t.request();
    if (ctx.table().get(r.id()) != null) {
      throw CorralException.alreadyExists("container %s: already exists", r.id());
    }
    ContainerRecord meta =
        new ContainerRecord(
            r.id(),
            r.generatesSpec() ? null : r.bundle().toString(),
            r.labels(),
            r.stdin(),
            r.terminal(),
            r.runtimeArgs(),
            Timestamps.format(Instant.now(ctx.clock())));
    Container c = new Container(meta, t.reply());
    ctx.table().put(c);
    try {
      ctx.workers().execute(ctx.jobs().start(r, meta));
    } catch (CorralException e) {
      ctx.table().remove(r.id());
      throw e;
    }
  }

  void started(StartResultTask t) {
    Container c = ctx.table().get(t.id());
    if (c == null || c.status() != ContainerStatus.CREATING) {
      throw new IllegalStateException("start result for " + t.id() + " that is not being created");
    }
    if (t.error() != null) {
      ctx.table().remove(t.id());
      c.failWaiters(t.error());
      c.takeStartReply().fail(t.error());
      return;
    }
    c.running(t.created(), t.startedAt());
    ctx.events().emit(EventType.START_CONTAINER, c.id(), ContainerJobs.INIT, null);
    ctx.persist(c);
    c.takeStartReply().complete(c.view());
    ooms.started(c); // an OOM held during creation goes between start-container and exit
    ExitTask early = c.takePendingExit();
    if (early != null) {
      exits.exit(early);
    }
  }
}
