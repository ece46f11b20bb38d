package dev.corral.supervisor.exec;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.WaitProcessTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The *Process tasks: AddProcessTask (exec) and its worker's result, WaitProcessTask, the process
 * list and UpdateProcessTask (close-stdin, resize). Their blocking halves are in {@link
 * ProcessJob}; an exec's exit is the {@link ExitHandler}'s, which this handler tells when an exec
 * started or failed to.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class ProcessHandler {
  private static final Logger log = LoggerFactory.getLogger(ProcessHandler.class);

  private final LoopGuard guard;
  private final ContainerTable table;
  private final Executor workers;
  private final ProcessJob job;
  private final ExitHandler exits;
  private final EventLog events;

  public ProcessHandler(
      LoopGuard guard,
      ContainerTable table,
      Executor workers,
      ProcessJob job,
      ExitHandler exits,
      EventLog events) {
    this.guard = guard;
    this.table = table;
    this.workers = workers;
    this.job = job;
    this.exits = exits;
    this.events = events;
  }

  public void add(AddProcessTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    requireExecutable(c);
    String execId = t.request().execId();
    if (c.execs().containsKey(execId)) {
      throw CorralException.alreadyExists(
          "container %s: process %s: already exists", c.ref(), execId);
    }
    c.execs().put(execId, new ExecProcess(t.request(), t.reply()));
    try {
      workers.execute(job.exec(c.meta(), t.request()));
    } catch (CorralException e) {
      c.execs().remove(execId);
      throw e;
    }
  }

  private void requireExecutable(Container c) {
    if (c.deleting()) {
      throw CorralException.failedPrecondition("container %s: is being deleted", c.ref());
    }
    if (c.status() == ContainerStatus.PAUSED) {
      throw CorralException.failedPrecondition(
          "container %s: is paused; resume it before exec", c.ref());
    }
    if (c.status() != ContainerStatus.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.ref(), c.status().wireName());
    }
    if (exits.initExited(c)) {
      throw CorralException.failedPrecondition("container %s: its init has exited", c.ref());
    }
  }

  public void added(AddProcessResultTask t) {
    assert guard.inLoop();
    Container c = table.get(t.id());
    ExecProcess e = c == null ? null : c.execs().get(t.processId());
    if (e == null || e.state() != ExecProcess.State.CREATING) {
      log.warn("exec result for {}/{} that is not being created", t.id(), t.processId());
      return;
    }
    if (t.error() != null) {
      c.execs().remove(e.id());
      e.takeStartReply().fail(t.error());
      exits.execFailed(c, e.id());
      return;
    }
    e.running(t.started());
    events.emit(EventType.START_PROCESS, c.ref(), e.id(), null);
    e.takeStartReply().complete(e.view());
    exits.execStarted(c, e);
  }

  public void waitFor(WaitProcessTask t) {
    assert guard.inLoop();
    ExecProcess e = requireExec(table.require(t.id()), t.processId());
    if (e.state() == ExecProcess.State.STOPPED) {
      t.reply().complete(e.exitView());
    } else {
      e.addWaiter(t.reply());
    }
  }

  public void list(ListProcessesTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    t.reply().complete(c.processes());
  }

  /** close-stdin or resize: checked here, done by a worker whose answer the loop delivers. */
  public void update(UpdateProcessTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    boolean init = Ids.INIT.equals(t.processId());
    ExecProcess e = init ? null : requireExec(c, t.processId());
    if (init ? !c.live() : e.state() != ExecProcess.State.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is not running", c.ref(), t.processId());
    }
    boolean stdin = init ? c.meta().stdin() : e.stdin();
    boolean terminal = init ? c.meta().terminal() : e.terminal();
    if (t.action() == UpdateProcessTask.Action.CLOSE_STDIN && !stdin) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: was not started with stdin", c.ref(), t.processId());
    }
    if (t.action() == UpdateProcessTask.Action.RESIZE && !terminal) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: has no terminal", c.ref(), t.processId());
    }
    workers.execute(job.updateProcess(t, init ? null : t.processId()));
  }

  private static ExecProcess requireExec(Container c, String execId) {
    ExecProcess e = c.execs().get(execId);
    if (e == null) {
      throw CorralException.notFound("container %s: process %s: not found", c.ref(), execId);
    }
    return e;
  }
}
