package dev.corral.supervisor.io;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.task.AttachTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.concurrent.Executor;

/**
 * AttachTask: checks on the loop that the process runs, then {@link AttachJob} connects its attach
 * socket on a worker; the loop answers with the channel when the worker's result comes back.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class AttachHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final AttachJob job;

  public AttachHandler(LoopGuard guard, ContainerTable table, Executor workers, AttachJob job) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
  }

  public void attach(AttachTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    String status = status(c, t.processId());
    if (!status.equals("running")) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is %s, not running", c.ref(), t.processId(), status);
    }
    workers.execute(job.connect(c.ref(), t.processId(), t.reply()));
  }

  /** The process's status as the process list shows it. */
  private static String status(Container c, String processId) {
    if (Ids.INIT.equals(processId)) {
      return c.view().status();
    }
    return requireExec(c, processId).view().status();
  }

  static ExecProcess requireExec(Container c, String execId) {
    ExecProcess e = c.execs().get(execId);
    if (e == null) {
      throw CorralException.notFound("container %s: process %s: not found", c.ref(), execId);
    }
    return e;
  }
}
