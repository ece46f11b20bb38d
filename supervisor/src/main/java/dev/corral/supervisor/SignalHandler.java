package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.SignalTask;

/**
 * SignalTask: checks the target on the loop, then a worker runs {@code runc kill} and answers the
 * caller itself (a signal changes no state; its effect, an exit, arrives from the monitor).
 *
 * <p>Loop thread only.
 */
final class SignalHandler {
  private final LoopContext ctx;
  private final ProcessHandler processes;

  SignalHandler(LoopContext ctx, ProcessHandler processes) {
    this.ctx = ctx;
    this.processes = processes;
  }

  void signal(SignalTask t) {
    Container c = ctx.require(t.id());
    if (!ContainerJobs.INIT.equals(t.pid())) {
      processes.signal(c, t);
      return;
    }
    if (!c.live()) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.id(), c.status().wireName());
    }
    ctx.workers().execute(ctx.jobs().signal(c.id(), t.signal(), t.all(), t.reply()));
  }
}
