package dev.corral.supervisor.io;

import dev.corral.core.Ids;
import dev.corral.state.ContainerPaths;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.task.ExitView;
import dev.corral.supervisor.task.LogsTask;
import dev.corral.supervisor.thread.LoopGuard;
import dev.corral.supervisor.thread.Reply;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * LogsTask: checks on the loop that the process exists, resolves its log file (the init's is the
 * container's; an exec's conmon keeps its own in the exec's dir) and answers at once with a {@link
 * FileLogSource}; the caller reads the file on its own thread. A follower learns that the process
 * stopped from an exit waiter registered here, as a wait request's is.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class LogsHandler {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final StateDir state;

  public LogsHandler(LoopGuard guard, ContainerTable table, StateDir state) {
    this.guard = guard;
    this.table = table;
    this.state = state;
  }

  public void logs(LogsTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    ContainerPaths paths = state.paths(c.ref());
    boolean init = Ids.INIT.equals(t.processId());
    ExecProcess e = init ? null : AttachHandler.requireExec(c, t.processId());
    Path file = init ? paths.log() : paths.execLog(e.id());
    BooleanSupplier ended = t.follow() ? (init ? ended(c) : ended(e)) : () -> true;
    t.reply().complete(new FileLogSource(new LogReader(file), t.filter(), ended));
  }

  /** The container has stopped, or its waiters were failed (it was deleted). */
  private static BooleanSupplier ended(Container c) {
    if (c.status() == ContainerStatus.STOPPED) {
      return () -> true;
    }
    Reply<ExitView> exit = new Reply<>();
    c.addWaiter(exit);
    return exit::isDone;
  }

  private static BooleanSupplier ended(ExecProcess e) {
    if (e.state() == ExecProcess.State.STOPPED) {
      return () -> true;
    }
    Reply<ExitView> exit = new Reply<>();
    e.addWaiter(exit);
    return exit::isDone;
  }
}
