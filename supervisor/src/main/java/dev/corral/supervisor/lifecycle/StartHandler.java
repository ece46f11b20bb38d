package dev.corral.supervisor.lifecycle;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.core.Timestamps;
import dev.corral.state.ContainerRecord;
import dev.corral.state.RestartRecord;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.CreateRequest;
import dev.corral.supervisor.task.RestartPolicy;
import dev.corral.supervisor.task.StartResultTask;
import dev.corral.supervisor.task.StartTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * StartTask and its worker's result ({@link StartJob}). The id is reserved in the table (status
 * creating) before the worker runs, so a second create of the same id is refused at once; the
 * container turns running only when the worker reports runc start done. What arrived for it in the
 * meantime (an OOM, an exit) is then released by the {@link ExitHandler}, in order.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class StartHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final StartJob job;
  private final ExitHandler exits;
  private final EventLog events;
  private final StatusWriter status;
  private final Clock clock;

  public StartHandler(
      LoopGuard guard,
      ContainerTable table,
      Executor workers,
      StartJob job,
      ExitHandler exits,
      EventLog events,
      StatusWriter status,
      Clock clock) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.exits = exits;
    this.events = events;
    this.status = status;
    this.clock = clock;
  }

  public void start(StartTask t) {
    assert guard.inLoop();
    CreateRequest r = t.request();
    if (table.get(r.id()) != null) {
      throw CorralException.alreadyExists("container %s: already exists", r.id());
    }
    ContainerRecord meta = meta(r);
    Container c = new Container(meta, t.reply());
    c.restart().policy(t.restartPolicy());
    table.put(c);
    RestartRecord restart =
        t.restartPolicy().equals(RestartPolicy.NO) ? null : c.restart().record();
    try {
      workers.execute(job.start(r, meta, restart));
    } catch (CorralException e) {
      table.remove(r.id());
      throw e;
    }
  }

  private ContainerRecord meta(CreateRequest r) {
    return new ContainerRecord(
        r.id().id(),
        r.generatesSpec() ? null : r.bundle().toString(),
        r.labels(),
        r.stdin(),
        r.terminal(),
        r.runtimeArgs(),
        Timestamps.format(Instant.now(clock)),
        r.id().namespace(),
        job.cgroupsPath(r));
  }

  public void started(StartResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null || c.status() != ContainerStatus.CREATING) {
      throw new IllegalStateException("start result for " + t.id() + " that is not being created");
    }
    if (t.error() != null) {
      table.remove(t.id());
      exits.forget(t.id());
      c.failWaiters(t.error());
      c.takeStartReply().fail(t.error());
      return;
    }
    c.running(t.created(), t.startedAt());
    c.spec(t.spec());
    events.emit(EventType.START_CONTAINER, c.ref(), Ids.INIT, null);
    status.write(c);
    c.takeStartReply().complete(c.view());
    exits.started(c);
  }
}
