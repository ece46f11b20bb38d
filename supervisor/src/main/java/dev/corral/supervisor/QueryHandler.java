package dev.corral.supervisor;

import dev.corral.supervisor.task.GetContainersTask;
import dev.corral.supervisor.task.WaitTask;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * GetContainersTask and WaitTask: snapshots and exit waiters. A waiter is answered at once when the
 * init has already exited, else when its exit is handled.
 *
 * <p>Loop thread only.
 */
final class QueryHandler {
  private final LoopContext ctx;

  QueryHandler(LoopContext ctx) {
    this.ctx = ctx;
  }

  void get(GetContainersTask t) {
    if (t.id() != null) {
      t.reply().complete(List.of(ctx.require(t.id()).view()));
      return;
    }
    t.reply()
        .complete(
            ctx.table().all().stream()
                .filter(c -> matches(c.meta().labels(), t.labels()))
                .sorted(Comparator.comparing(Container::id))
                .map(Container::view)
                .toList());
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
    return labels.entrySet().containsAll(wanted.entrySet());
  }

  void waitFor(WaitTask t) {
    Container c = ctx.require(t.id());
    if (c.status() == ContainerStatus.STOPPED) {
      t.reply().complete(c.exitView());
    } else {
      c.addWaiter(t.reply());
    }
  }
}
