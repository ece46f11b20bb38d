package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.ShimLostTask;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ExitTask: a shim is gone. Records the exit, emits the event, answers waiters, and carries on a
 * forced delete that was waiting for it. An exit that arrives before the start result (a container
 * that exits within microseconds) is held until the start is recorded, so {@code start-container}
 * always precedes {@code exit}.
 *
 * <p>Loop thread only.
 */
final class ExitHandler {
  private static final Logger log = LoggerFactory.getLogger(ExitHandler.class);

  /** Exit code reported when the shim died without writing one (containerd does the same). */
  static final int UNKNOWN_EXIT = 255;

  /** The reason of an exit that followed an OOM kill (Docker's and containerd's word). */
  static final String OOM_KILLED = "OOMKilled";

  /** The reason on an exit whose shim died without writing the code. */
  static final String SHIM_LOST = "shim-lost";

  private final LoopContext ctx;
  private DeleteHandler deletes; // loop thread; set once during wiring
  private ProcessHandler processes; // loop thread; set once during wiring

  ExitHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void wire(DeleteHandler d) {
    this.deletes = d;
  }

  void wire(ProcessHandler p) {
    this.processes = p;
  }

  void exit(ExitTask t) {
    Container c = ctx.table().get(t.containerId());
    if (c != null && !ContainerJobs.INIT.equals(t.processId())) {
      processes.exited(c, t);
      return;
    }
    if (c == null) {
      log.debug("exit of {}/{} that is not tracked", t.containerId(), t.processId());
      return;
    }
    if (c.status() == ContainerStatus.CREATING) {
      c.deferExit(t);
      return;
    }
    if (c.status() == ContainerStatus.STOPPED) {
      return;
    }
    if (processes.holdInitExit(c, t)) {
      return; // recorded when the last exec's exit is in
    }
    ctx.metrics().exit.time(() -> record(c, t));
  }

  private void record(Container c, ExitTask t) {
    if (t.exitCode().isPresent()) {
      stop(c, t.exitCode().getAsInt(), t.exitedAt(), c.oomKilled() ? OOM_KILLED : null);
      return;
    }
    // conmon died (killed, crashed) and nobody will ever learn the exit code: the container,
    // if it still runs, can no longer be supervised. A worker kills it and reports back.
    log.warn("container {}: shim exited without an exit code; killing what it left", c.id());
    ctx.metrics().shimLosses.inc();
    try {
      ctx.workers().execute(ctx.jobs().shimLost(c.id()));
    } catch (CorralException e) {
      log.error("container {}: cannot kill the orphan: {}", c.id(), e.getMessage());
      stop(c, UNKNOWN_EXIT, t.exitedAt(), SHIM_LOST);
    }
  }

  /** The worker's verdict on a lost shim: 137 when it killed the process, 255 when gone. */
  void shimLost(ShimLostTask t) {
    Container c = ctx.table().get(t.id());
    if (c != null && !ContainerJobs.INIT.equals(t.processId())) {
      processes.shimLost(c, t);
      return;
    }
    if (c == null || c.status() != ContainerStatus.RUNNING) {
      return;
    }
    log.warn("container {}: shim lost; reporting exit {}", c.id(), t.exitCode());
    ctx.metrics().exit.time(() -> stop(c, t.exitCode(), t.exitedAt(), SHIM_LOST));
  }

  private void stop(Container c, int code, Instant at, String reason) {
    ctx.metrics().exits.inc();
    c.stopped(code, at, reason);
    log.info("container {}: exited {}{}", c.id(), code, reason == null ? "" : " (" + reason + ")");
    ctx.events().emit(EventType.EXIT, c.id(), ContainerJobs.INIT, code, reason);
    ctx.persist(c);
    c.answerWaiters();
    if (c.deleting()) {
      deletes.beginRemoval(c);
    }
  }
}
