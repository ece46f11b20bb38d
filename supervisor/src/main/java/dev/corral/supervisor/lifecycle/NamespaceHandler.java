package dev.corral.supervisor.lifecycle;

import dev.corral.core.CorralException;
import dev.corral.core.Namespaces;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.task.DeleteNamespaceTask;
import dev.corral.supervisor.task.ListNamespacesTask;
import dev.corral.supervisor.task.NamespaceView;
import dev.corral.supervisor.thread.LoopGuard;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListNamespacesTask and DeleteNamespaceTask. A namespace exists while it holds a container or its
 * directories are there; creating a container in a new one makes it. Deleting one removes its
 * (empty) directories and parent cgroup <em>on the loop</em>, so no create can slip into it in
 * between: the check and the removal are one step of the loop. That is a handful of rmdir calls on
 * empty directories, with no fsync (a namespace that a crash brings back is an empty namespace).
 *
 * <p>Loop thread only; every method asserts it.
 */
public final class NamespaceHandler {
  private static final Logger log = LoggerFactory.getLogger(NamespaceHandler.class);

  private final LoopGuard guard;
  private final ContainerTable table;
  private final StateDir state;
  private final String cgroupParent;
  private final ToIntFunction<String> podsIn;

  /**
   * @param podsIn how many pods a namespace holds (called on the loop)
   */
  public NamespaceHandler(
      LoopGuard guard,
      ContainerTable table,
      StateDir state,
      String cgroupParent,
      ToIntFunction<String> podsIn) {
    this.guard = guard;
    this.table = table;
    this.state = state;
    this.cgroupParent = cgroupParent;
    this.podsIn = podsIn;
  }

  public void list(ListNamespacesTask t) {
    assert guard.inLoop();
    List<NamespaceView> out = new ArrayList<>();
    for (String ns : table.namespaces()) {
      out.add(new NamespaceView(ns, table.count(ns), podsIn.applyAsInt(ns)));
    }
    t.reply().complete(out);
  }

  public void delete(DeleteNamespaceTask t) {
    assert guard.inLoop();
    String ns = t.namespace();
    if (!table.namespaces().contains(ns)) {
      throw CorralException.notFound("namespace %s: not found", ns);
    }
    if (Namespaces.DEFAULT.equals(ns)) {
      throw CorralException.failedPrecondition("namespace %s: always exists", ns);
    }
    int containers = table.count(ns);
    int pods = podsIn.applyAsInt(ns);
    if (containers > 0 || pods > 0) {
      throw CorralException.failedPrecondition(
          "namespace %s: not empty (%d containers, %d pods); delete them first",
          ns, containers, pods);
    }
    try {
      state.removeNamespace(ns);
    } catch (DirectoryNotEmptyException e) {
      throw CorralException.failedPrecondition(
          "namespace %s: %s is not empty; remove what is left there first", ns, e.getFile());
    } catch (IOException e) {
      throw CorralException.internal(e, "namespace %s: removing its directories: %s", ns, e);
    }
    if (!Cgroups.removeEmpty(Cgroups.namespace(cgroupParent, ns))) {
      log.warn("namespace {}: its cgroup still holds something; left in place", ns);
    }
    table.removeNamespace(ns);
    log.info("namespace {}: deleted", ns);
    t.reply().complete(null);
  }
}
