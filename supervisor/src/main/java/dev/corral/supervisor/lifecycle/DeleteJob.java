package dev.corral.supervisor.lifecycle;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.MetricCatalog;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcessWait;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.Notifier;
import java.io.IOException;
import java.time.Duration;
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
  private static final Duration SHIM_EXIT_WAIT = Duration.ofSeconds(2);

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
   * at once (its exit code cannot be known; no conmon is known to wait for).
   */
  Runnable killAndRemove(String id) {
    Runnable remove = remove(id, null);
    return () -> {
      killForDelete(id).run();
      remove.run();
    };
  }

  /**
   * Waits for conmon to finish, then runc delete, the conmon leftovers and the state dir. An exit
   * is reported as soon as conmon reaps the init, while conmon may still be writing its exit file
   * into the state dir: removing the dir under it could fail, or, with the id created again, leave
   * a stale exit file in the new container's dir.
   */
  Runnable remove(String id, Created shim) {
    return () -> {
      try {
        metrics.delete.time(
            () -> {
              awaitShimExit(id, shim);
              cleanUp(id);
            });
        notifier.publish(new DeleteResultTask(id, null));
      } catch (RuntimeException e) {
        notifier.publish(
            new DeleteResultTask(id, CorralException.wrap(e, "container " + id + ": delete")));
      }
    };
  }

  /** Bounded: a conmon that hangs is not worth a delete that never ends. */
  private static void awaitShimExit(String id, Created shim) {
    if (shim != null
        && !ProcessWait.exited(shim.conmonPid(), shim.conmonStartTime(), SHIM_EXIT_WAIT)) {
      log.warn("container {}: conmon still runs {} after the exit", id, SHIM_EXIT_WAIT);
    }
  }

  void cleanUp(String id) {
    watcher.unwatch(id + "/" + Ids.INIT);
    watcher.unwatchOom(id); // before runc delete: removing the cgroup wakes a v1 OOM eventfd
    metrics.containerRetiring(id); // its last cgroup reading, while the cgroup exists
    runtime.delete(id, true); // also removes conmon's socket link; the rest is in our dir
    try {
      state.remove(id);
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: removing state: %s", id, e.getMessage());
    }
  }
}
