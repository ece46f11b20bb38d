package dev.corral.supervisor;

import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.ExitTask;
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
    int code = t.exitCode().orElse(UNKNOWN_EXIT);
    String reason = t.exitCode().isPresent() ? null : "shim-lost";
    if (reason != null) {
      log.warn("container {}: shim exited without an exit code; reporting {}", c.id(), code);
      ctx.metrics().shimLosses.inc();
    } else if (c.oomKilled()) {
      reason = OOM_KILLED;
    }
    ctx.metrics().exits.inc();
    c.stopped(code, t.exitedAt(), reason);
    ctx.events().emit(EventType.EXIT, c.id(), ContainerJobs.INIT, code);
    ctx.persist(c);
    c.answerWaiters();
    if (c.deleting()) {
      deletes.beginRemoval(c);
    }
  }
}
