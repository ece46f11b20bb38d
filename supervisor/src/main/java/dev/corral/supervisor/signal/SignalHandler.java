package dev.corral.supervisor.signal;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * SignalTask: checks the target on the loop, then {@link SignalJob} signals it on a worker ({@code
 * runc kill} for the init, kill(2) through a pidfd for an exec) and publishes the answer. A signal
 * changes no state but the restart policy's user-stop mark (a signal to the init through the API
 * suppresses restarts until the next start, as in Docker); its effect, an exit, arrives from the
 * monitor.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class SignalHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final SignalJob job;
  private final StatusWriter status;

  public SignalHandler(
      LoopGuard guard, ContainerTable table, Executor workers, SignalJob job, StatusWriter status) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.status = status;
  }

  public void signal(SignalTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (!Ids.INIT.equals(t.processId())) {
      signalExec(c, t);
      return;
    }
    // An unknown container is signalled through runc, which knows it; its exit is not watched.
    if (!c.live() && c.status() != ContainerStatus.UNKNOWN) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.ref(), c.status().wireName());
    }
    workers.execute(job.init(c.ref(), t.signal(), t.all(), t.reply()));
    if (t.byUser()) {
      // Docker's rule: a signal sent by a user counts as a user's stop for the restart policy.
      c.restart().stoppedByUser();
      status.writeRestart(c);
    }
  }

  /** An exec is signalled only after the worker checks the pid is still that process. */
  private void signalExec(Container c, SignalTask t) {
    ExecProcess e = c.execs().get(t.processId());
    if (e == null) {
      throw CorralException.notFound("container %s: process %s: not found", c.ref(), t.processId());
    }
    if (t.all()) {
      throw CorralException.invalidArgument(
          "all: applies to the init only, not process %s", e.id());
    }
    if (e.state() != ExecProcess.State.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is %s, not running",
          c.ref(), e.id(), e.state().name().toLowerCase(Locale.ROOT));
    }
    workers.execute(job.exec(c.ref(), e.target(), t.signal(), t.reply()));
  }
}
