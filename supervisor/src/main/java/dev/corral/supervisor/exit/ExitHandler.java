package dev.corral.supervisor.exit;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerMonitors;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.ShimLostTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ExitTask and ShimLostTask, for inits and execs alike: the one owner of exit ordering. An exit is
 * held here, and recorded later, when recording it now would break an order the design promises:
 *
 * <ul>
 *   <li>a process that exits before its start result arrived (within microseconds) is held until
 *       the start is recorded ({@link #started}, {@link #execStarted}), so {@code start-container}
 *       or {@code start-process} precedes its {@code exit}; an OOM held meanwhile goes between;
 *   <li>an init that exits while execs live is held, and the execs are killed (they may not share
 *       its pid namespace), until the last exec is gone, so every exec's {@code exit} precedes the
 *       init's.
 * </ul>
 *
 * A recorded init exit answers waiters and, for a forced delete, hands the container to {@code
 * removal}. The start and exec handlers tell this class what they recorded; it never calls them.
 * Every recorded start and init exit is passed on to the {@link ContainerMonitors}.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class ExitHandler {
  private static final Logger log = LoggerFactory.getLogger(ExitHandler.class);

  /** Exit code reported when the shim died without writing one (containerd does the same). */
  public static final int UNKNOWN_EXIT = 255;

  /** The reason of an exit that followed an OOM kill (Docker's and containerd's word). */
  public static final String OOM_KILLED = "OOMKilled";

  /** The reason on an exit whose shim died without writing the code. */
  public static final String SHIM_LOST = "shim-lost";

  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final ExitJob job;
  private final OOMHandler ooms;
  private final EventLog events;
  private final StatusWriter status;
  private final MetricCatalog metrics;
  private final Consumer<Container> removal;
  private final ContainerMonitors monitors;
  // Loop thread: exits held back, by container and process ("init" or the exec's id).
  private final Map<Held, ExitTask> held = new HashMap<>();

  /** The key of a held exit. */
  private record Held(ContainerRef id, String processId) {}

  /**
   * @param removal begins the removal of a container whose forced delete waited for its exit
   * @param monitors told of every start recorded ({@link #started}) and every init exit recorded
   */
  public ExitHandler(
      LoopGuard guard,
      ContainerTable table,
      Executor workers,
      ExitJob job,
      OOMHandler ooms,
      EventLog events,
      StatusWriter status,
      MetricCatalog metrics,
      Consumer<Container> removal,
      ContainerMonitors monitors) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.ooms = ooms;
    this.events = events;
    this.status = status;
    this.metrics = metrics;
    this.removal = removal;
    this.monitors = monitors;
  }

  public void exit(ExitTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null) {
      log.debug("exit of {}/{} that is not tracked", t.id(), t.processId());
    } else if (Ids.INIT.equals(t.processId())) {
      initExit(c, t);
    } else {
      execExit(c, t);
    }
  }

  /** The container's start is recorded: its held OOM, then its held exit, are reported now. */
  public void started(Container c) {
    assert guard.inLoop();
    monitors.started(c);
    ooms.started(c);
    ExitTask early = held.remove(key(c.ref(), Ids.INIT));
    if (early != null) {
      exit(early);
    }
  }

  /** An exec's start is recorded: an exit that came before it is reported now. */
  public void execStarted(Container c, ExecProcess e) {
    assert guard.inLoop();
    ExitTask early = held.remove(key(c.ref(), e.id()));
    if (early != null) {
      exit(early);
    }
  }

  /** An exec failed to start and is gone: an init exit held for it may be recorded now. */
  public void execFailed(Container c, String execId) {
    assert guard.inLoop();
    held.remove(key(c.ref(), execId));
    releaseInit(c);
  }

  /** A container that never started is gone: whatever was held for it is dropped. */
  public void forget(ContainerRef id) {
    assert guard.inLoop();
    held.keySet().removeIf(k -> k.id().equals(id));
  }

  /** Whether the init's exit is in, but held: no exec may start any more. */
  public boolean initExited(Container c) {
    assert guard.inLoop();
    return held.containsKey(key(c.ref(), Ids.INIT));
  }

  private void initExit(Container c, ExitTask t) {
    if (c.status() == ContainerStatus.CREATING) {
      held.put(key(c.ref(), Ids.INIT), t);
    } else if (c.status() == ContainerStatus.STOPPED) {
      log.debug("container {}: second exit ignored", c.ref());
    } else if (holdForExecs(c, t)) {
      log.debug("container {}: exit held until its execs are gone", c.ref());
    } else {
      metrics.exit.time(() -> recordInit(c, t));
    }
  }

  /** Holds the init's exit while execs live, and kills them so that they do exit. */
  private boolean holdForExecs(Container c, ExitTask t) {
    List<ExecProcess> live = liveExecs(c);
    if (live.isEmpty()) {
      return false;
    }
    held.put(key(c.ref(), Ids.INIT), t);
    List<ExecProcess.Target> running =
        live.stream()
            .filter(e -> e.state() == ExecProcess.State.RUNNING)
            .map(ExecProcess::target)
            .toList();
    try {
      workers.execute(job.killExecs(c.ref(), running));
    } catch (CorralException e) {
      // They most likely die with the container's pid namespace anyway.
      log.warn("container {}: cannot kill its execs: {}", c.ref(), e.getMessage());
    }
    return true;
  }

  private void recordInit(Container c, ExitTask t) {
    if (t.exitCode().isPresent()) {
      stopInit(c, t.exitCode().getAsInt(), t.exitedAt(), c.oomKilled() ? OOM_KILLED : null);
      return;
    }
    // conmon died (killed, crashed) and nobody will ever learn the exit code: the container,
    // if it still runs, can no longer be supervised. A worker kills it and reports back.
    log.warn("container {}: shim exited without an exit code; killing what it left", c.ref());
    metrics.shimLosses.inc();
    try {
      workers.execute(job.shimLost(c.ref()));
    } catch (CorralException e) {
      log.error("container {}: cannot kill the orphan: {}", c.ref(), e.getMessage());
      stopInit(c, UNKNOWN_EXIT, t.exitedAt(), SHIM_LOST);
    }
  }

  private void execExit(Container c, ExitTask t) {
    ExecProcess e = c.execs().get(t.processId());
    if (e == null || e.state() == ExecProcess.State.STOPPED) {
      log.debug("exit of {}/{} that is not tracked", c.ref(), t.processId());
    } else if (e.state() == ExecProcess.State.CREATING) {
      held.put(key(c.ref(), e.id()), t);
    } else if (t.exitCode().isPresent()) {
      stopExec(c, e, t.exitCode().getAsInt(), t.exitedAt(), null);
    } else {
      execShimLost(c, e, t.exitedAt());
    }
  }

  /**
   * Its conmon died without the code, and nothing supervises the exec any more: a worker kills it
   * if it still runs and reports back; it stays running until then.
   */
  private void execShimLost(Container c, ExecProcess e, Instant at) {
    log.warn("container {}: exec {}: shim exited without an exit code", c.ref(), e.id());
    metrics.shimLosses.inc();
    try {
      workers.execute(job.execShimLost(c.ref(), e.target()));
    } catch (CorralException busy) {
      log.error(
          "container {}: exec {}: cannot kill the orphan: {}", c.ref(), e.id(), busy.getMessage());
      stopExec(c, e, UNKNOWN_EXIT, at, SHIM_LOST);
    }
  }

  /** The worker's verdict on a lost shim: 137 when it killed the process, 255 when gone. */
  public void shimLost(ShimLostTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    if (c == null) {
      return;
    }
    if (!Ids.INIT.equals(t.processId())) {
      ExecProcess e = c.execs().get(t.processId());
      if (e != null && e.state() == ExecProcess.State.RUNNING) {
        stopExec(c, e, t.exitCode(), t.exitedAt(), SHIM_LOST);
      }
      return;
    }
    if (c.status() == ContainerStatus.RUNNING) {
      log.warn("container {}: shim lost; reporting exit {}", c.ref(), t.exitCode());
      metrics.exit.time(() -> stopInit(c, t.exitCode(), t.exitedAt(), SHIM_LOST));
    }
  }

  private void stopInit(Container c, int code, Instant at, String reason) {
    metrics.exits.inc();
    c.stopped(code, at, reason);
    events.emit(EventType.EXIT, c.ref(), Ids.INIT, code, reason);
    ContainerRef id = c.ref();
    // logged once the subscribers have the event: the write(2) need not delay it
    events.afterPublish(
        () ->
            log.info(
                "container {}: exited {}{}", id, code, reason == null ? "" : " (" + reason + ")"));
    status.write(c);
    c.answerWaiters();
    monitors.exited(c);
    if (c.deleting()) {
      removal.accept(c);
    }
  }

  private void stopExec(Container c, ExecProcess e, int code, Instant at, String reason) {
    e.stopped(code, at, reason);
    events.emit(EventType.EXIT, c.ref(), e.id(), code, reason);
    status.writeExec(c.ref(), e.record());
    e.answerWaiters();
    releaseInit(c);
  }

  private void releaseInit(Container c) {
    if (liveExecs(c).isEmpty() && held.containsKey(key(c.ref(), Ids.INIT))) {
      exit(held.remove(key(c.ref(), Ids.INIT)));
    }
  }

  private static List<ExecProcess> liveExecs(Container c) {
    return c.execs().values().stream().filter(ExecProcess::live).toList();
  }

  private static Held key(ContainerRef id, String processId) {
    return new Held(id, processId);
  }
}
