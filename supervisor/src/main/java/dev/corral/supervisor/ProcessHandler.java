package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.task.AddProcessResultTask;
import dev.corral.supervisor.task.AddProcessTask;
import dev.corral.supervisor.task.ExitTask;
import dev.corral.supervisor.task.ListProcessesTask;
import dev.corral.supervisor.task.ShimLostTask;
import dev.corral.supervisor.task.SignalTask;
import dev.corral.supervisor.task.UpdateProcessTask;
import dev.corral.supervisor.task.WaitProcessTask;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Execs: AddProcessTask and its worker's result, their exits, waits, signals and the process list.
 * An exec's {@code exit} always precedes its container's: an init exit that arrives while execs
 * still live is held (and the execs are killed, in case they do not share the init's pid namespace)
 * until the last exec's conmon has reported; only then is the init's exit recorded.
 *
 * <p>Loop thread only.
 */
final class ProcessHandler {
  private static final Logger log = LoggerFactory.getLogger(ProcessHandler.class);

  private final LoopContext ctx;
  private ExitHandler exits; // loop thread; set once during wiring

  ProcessHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void wire(ExitHandler e) {
    this.exits = e;
  }

  void add(AddProcessTask t) {
    Container c = ctx.require(t.id());
    requireExecutable(c);
    String execId = t.request().execId();
    if (c.execs().containsKey(execId)) {
      throw CorralException.alreadyExists(
          "container %s: process %s: already exists", c.id(), execId);
    }
    c.execs().put(execId, new ExecProcess(t.request(), t.reply()));
    try {
      ctx.workers().execute(ctx.jobs().live().exec(c.meta(), t.request()));
    } catch (CorralException e) {
      c.execs().remove(execId);
      throw e;
    }
  }

  private static void requireExecutable(Container c) {
    if (c.deleting()) {
      throw CorralException.failedPrecondition("container %s: is being deleted", c.id());
    }
    if (c.status() == ContainerStatus.PAUSED) {
      throw CorralException.failedPrecondition(
          "container %s: is paused; resume it before exec", c.id());
    }
    if (c.status() != ContainerStatus.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: is %s, not running", c.id(), c.status().wireName());
    }
    if (c.hasPendingExit()) {
      throw CorralException.failedPrecondition("container %s: its init has exited", c.id());
    }
  }

  void added(AddProcessResultTask t) {
    Container c = ctx.table().get(t.id());
    ExecProcess e = c == null ? null : c.execs().get(t.execId());
    if (e == null || e.state() != ExecProcess.State.CREATING) {
      log.warn("exec result for {}/{} that is not being created", t.id(), t.execId());
      return;
    }
    if (t.error() != null) {
      c.execs().remove(e.id());
      e.takeStartReply().fail(t.error());
      releaseHeldExit(c);
      return;
    }
    e.running(t.started());
    ctx.events().emit(EventType.START_PROCESS, c.id(), e.id(), null);
    e.takeStartReply().complete(e.view());
    ExitTask early = e.takePendingExit();
    if (early != null) {
      exited(c, early);
    }
  }

  /** The conmon of exec {@code t.processId()} is gone. */
  void exited(Container c, ExitTask t) {
    ExecProcess e = c.execs().get(t.processId());
    if (e == null || e.state() == ExecProcess.State.STOPPED) {
      log.debug("exit of {}/{} that is not tracked", c.id(), t.processId());
      return;
    }
    if (e.state() == ExecProcess.State.CREATING) {
      e.deferExit(t);
      return;
    }
    if (t.exitCode().isPresent()) {
      stop(c, e, t.exitCode().getAsInt(), t.exitedAt(), null);
      return;
    }
    // Its conmon died without the code, and nothing supervises the exec any more: a worker kills
    // it if it still runs and reports back; it stays running until then.
    log.warn("container {}: exec {}: shim exited without an exit code", c.id(), e.id());
    ctx.metrics().shimLosses.inc();
    try {
      ctx.workers().execute(ctx.jobs().live().execShimLost(c.id(), target(e)));
    } catch (CorralException busy) {
      log.error(
          "container {}: exec {}: cannot kill the orphan: {}", c.id(), e.id(), busy.getMessage());
      stop(c, e, ExitHandler.UNKNOWN_EXIT, t.exitedAt(), ExitHandler.SHIM_LOST);
    }
  }

  /** The worker's verdict on an exec whose shim was lost: 137 when it killed it, 255 when gone. */
  void shimLost(Container c, ShimLostTask t) {
    ExecProcess e = c.execs().get(t.processId());
    if (e == null || e.state() != ExecProcess.State.RUNNING) {
      return;
    }
    stop(c, e, t.exitCode(), t.exitedAt(), ExitHandler.SHIM_LOST);
  }

  private void stop(Container c, ExecProcess e, int code, java.time.Instant at, String reason) {
    e.stopped(code, at, reason);
    ctx.events().emit(EventType.EXIT, c.id(), e.id(), code, reason);
    ctx.status().writeExec(c.id(), e.record());
    e.answerWaiters();
    releaseHeldExit(c);
  }

  /**
   * Holds the init's exit while execs live, and kills them so that they do exit; true when held.
   */
  boolean holdInitExit(Container c, ExitTask t) {
    List<ExecProcess> live = liveExecs(c);
    if (live.isEmpty()) {
      return false;
    }
    c.deferExit(t);
    List<ExecProcess> running =
        live.stream().filter(e -> e.state() == ExecProcess.State.RUNNING).toList();
    try {
      ctx.workers().execute(ctx.jobs().live().killExecs(c.id(), targets(running)));
    } catch (CorralException e) {
      // They most likely die with the container's pid namespace anyway.
      log.warn("container {}: cannot kill its execs: {}", c.id(), e.getMessage());
    }
    return true;
  }

  private static List<LiveJobs.Target> targets(List<ExecProcess> running) {
    List<LiveJobs.Target> out = new ArrayList<>();
    running.forEach(e -> out.add(target(e)));
    return out;
  }

  private static LiveJobs.Target target(ExecProcess e) {
    return new LiveJobs.Target(e.id(), e.started().pid(), e.started().startTime());
  }

  private void releaseHeldExit(Container c) {
    if (!liveExecs(c).isEmpty()) {
      return;
    }
    ExitTask held = c.takePendingExit();
    if (held != null) {
      exits.exit(held);
    }
  }

  private static List<ExecProcess> liveExecs(Container c) {
    return c.execs().values().stream().filter(ExecProcess::live).toList();
  }

  void waitFor(WaitProcessTask t) {
    ExecProcess e = requireExec(ctx.require(t.id()), t.execId());
    if (e.state() == ExecProcess.State.STOPPED) {
      t.reply().complete(e.exitView());
    } else {
      e.addWaiter(t.reply());
    }
  }

  void list(ListProcessesTask t) {
    Container c = ctx.require(t.id());
    List<ProcessView> out = new ArrayList<>();
    ContainerView v = c.view();
    out.add(
        new ProcessView(
            ContainerJobs.INIT,
            c.initPid(),
            v.status(),
            null,
            c.meta().terminal(),
            v.exitCode(),
            v.exitedAt()));
    c.execs().values().forEach(e -> out.add(e.view()));
    t.reply().complete(out);
  }

  /** A signal for an exec: kill(2) on a worker, after it checks the pid is still that process. */
  void signal(Container c, SignalTask t) {
    ExecProcess e = requireExec(c, t.pid());
    if (t.all()) {
      throw CorralException.invalidArgument(
          "all: applies to the init only, not process %s", e.id());
    }
    if (e.state() != ExecProcess.State.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is %s, not running",
          c.id(), e.id(), e.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    ctx.workers().execute(ctx.jobs().live().signal(c.id(), target(e), t.signal(), t.reply()));
  }

  /** close-stdin or resize: checked here, done by a worker that answers the caller. */
  void update(UpdateProcessTask t) {
    Container c = ctx.require(t.id());
    boolean init = ContainerJobs.INIT.equals(t.pid());
    ExecProcess e = init ? null : requireExec(c, t.pid());
    if (init ? !c.live() : e.state() != ExecProcess.State.RUNNING) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: is not running", c.id(), t.pid());
    }
    boolean stdin = init ? c.meta().stdin() : e.stdin();
    boolean terminal = init ? c.meta().terminal() : e.terminal();
    if (t.action() == UpdateProcessTask.Action.CLOSE_STDIN && !stdin) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: was not started with stdin", c.id(), t.pid());
    }
    if (t.action() == UpdateProcessTask.Action.RESIZE && !terminal) {
      throw CorralException.failedPrecondition(
          "container %s: process %s: has no terminal", c.id(), t.pid());
    }
    ctx.workers().execute(ctx.jobs().live().updateProcess(t, init ? null : t.pid()));
  }

  private static ExecProcess requireExec(Container c, String execId) {
    ExecProcess e = c.execs().get(execId);
    if (e == null) {
      throw CorralException.notFound("container %s: process %s: not found", c.id(), execId);
    }
    return e;
  }
}
