package dev.corral.supervisor.lifecycle;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.WaitTask;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * GetContainersTask and WaitTask: snapshots and exit waiters. A waiter is answered at once when the
 * init has already exited, else when its exit is handled.
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class QueryHandler {
  private final LoopGuard guard;
  private final ContainerTable table;

  public QueryHandler(LoopGuard guard, ContainerTable table) {
    this.guard = guard;
    this.table = table;
  }

  public void get(GetContainersTask t) {
    assert guard.inLoop();
    if (t.id() != null) {
      t.reply().complete(List.of(table.require(new ContainerRef(t.namespace(), t.id())).view()));
      return;
    }
    t.reply()
        .complete(
            table.all().stream()
                .filter(c -> t.namespace() == null || c.namespace().equals(t.namespace()))
                .filter(c -> matches(c.meta().labels(), t.labels()))
                .sorted(Comparator.comparing(Container::namespace).thenComparing(Container::id))
                .map(Container::view)
                .toList());
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
    return labels.entrySet().containsAll(wanted.entrySet());
  }

  public void waitFor(WaitTask t) {
    assert guard.inLoop();
    Container c = table.require(t.id());
    if (c.status() == ContainerStatus.STOPPED) {
      t.reply().complete(c.exitView());
    } else if (c.status() == ContainerStatus.UNKNOWN) {
      throw CorralException.failedPrecondition(
          "container %s: its state is unknown and its exit will not be seen; delete it with"
              + " force=1",
          c.ref());
    } else {
      c.addWaiter(t.reply());
    }
  }
}
