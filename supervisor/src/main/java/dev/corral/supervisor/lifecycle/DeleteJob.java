package dev.corral.supervisor.lifecycle;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.Notifier;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link DeleteHandler}, on worker threads: the kill before a forced delete,
 * and the removal (runc delete, the conmon leftovers, the state dir), reported as a {@link
 * DeleteResultTask}. Also cleans up after a failed start.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class DeleteJob {
  private static final Logger log = LoggerFactory.getLogger(DeleteJob.class);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Notifier notifier;
  private final ExitWatcher watcher;
  private final MetricCatalog metrics;

  public DeleteJob(
      ContainerRuntime runtime,
      StateDir state,
      Notifier notifier,
      ExitWatcher watcher,
      MetricCatalog metrics) {
    this.runtime = runtime;
    this.state = state;
    this.notifier = notifier;
    this.watcher = watcher;
    this.metrics = metrics;
  }

  /** Kills a running container for a forced delete; the exit it causes drives the removal. */
  Runnable killForDelete(String id) {
    return () -> {
      try {
        runtime.kill(id, 9, true);
      } catch (RuntimeException e) {
        // Most often it exited on its own meanwhile; its exit still reaches the loop.
        log.info("container {}: kill before delete: {}", id, e.getMessage());
      }
    };
  }

  /**
   * For a container kept as unknown, which nothing watches: runc kill, then the removal, reported
   * at once (its exit code cannot be known).
   */
  Runnable killAndRemove(String id) {
    Runnable remove = remove(id);
    return () -> {
      killForDelete(id).run();
      remove.run();
    };
  }

  /** runc delete, then the conmon leftovers and the state dir. */
  Runnable remove(String id) {
    return () -> {
      try {
        metrics.delete.time(() -> cleanUp(id));
        notifier.publish(new DeleteResultTask(id, null));
      } catch (RuntimeException e) {
        notifier.publish(
            new DeleteResultTask(id, CorralException.wrap(e, "container " + id + ": delete")));
      }
    };
  }

  void cleanUp(String id) {
    watcher.unwatch(id + "/" + Ids.INIT);
    watcher.unwatchOom(id); // before runc delete: removing the cgroup wakes a v1 OOM eventfd
    runtime.delete(id, true); // also removes conmon's socket link; the rest is in our dir
    try {
      state.remove(id);
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: removing state: %s", id, e.getMessage());
    }
  }
}
