package dev.corral.supervisor.lifecycle;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.metrics.CgroupTarget;
import dev.corral.metrics.MetricCatalog;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcessWait;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.DeleteResultTask;
import dev.corral.supervisor.task.Notifier;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link DeleteHandler}, on worker threads: the kill before a forced delete,
 * and the removal, reported as a {@link DeleteResultTask}. Also cleans up after a failed start.
 *
 * <p>The removal of an exited container answers before the slow part: its cgroups (empty, since its
 * init is gone) are removed, conmon's socket links unlinked, and its directories and runc's state
 * renamed into the trash; then the result is published and the trees are removed behind it. runc
 * itself is not run: for a stopped container {@code runc delete} would only remove the same cgroups
 * and its state dir, and run poststop hooks, so a bundle with such hooks, or a cgroup that still
 * holds a process, takes the full way ({@code runc delete --force}, then the removal) before the
 * answer. A crash after the renames leaves only the trash, which the next start empties.
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
  Runnable killForDelete(ContainerRef id) {
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
   * For a container kept as unknown, which nothing watches: runc kill, then the full removal
   * ({@code runc delete --force}: its processes may not be gone yet, so nothing is moved aside),
   * reported at once (its exit code cannot be known).
   */
  Runnable killAndRemove(CgroupTarget target) {
    ContainerRef id = target.ref();
    return () -> {
      killForDelete(id).run();
      try {
        metrics.delete.time(() -> cleanUp(id));
        notifier.publish(new DeleteResultTask(id, null));
      } catch (RuntimeException e) {
        notifier.publish(
            new DeleteResultTask(id, CorralException.wrap(e, "container " + id + ": delete")));
      }
    };
  }

  /**
   * Waits for conmon to finish, moves the container aside, answers, then removes what was moved
   * (see the class doc). An exit is reported as soon as conmon reaps the init, while conmon may
   * still be writing its exit file: moving the dir under it, with the id created again at once,
   * could leave a stale exit file in the new container's dir.
   */
  Runnable remove(CgroupTarget target, Created shim) {
    ContainerRef id = target.ref();
    return () -> {
      StateDir.Trash trash;
      try {
        trash =
            metrics.delete.timeSupplier(
                () -> {
                  awaitShimExit(id, shim);
                  return moveAside(target);
                });
        notifier.publish(new DeleteResultTask(id, null));
      } catch (RuntimeException e) {
        notifier.publish(
            new DeleteResultTask(id, CorralException.wrap(e, "container " + id + ": delete")));
        return;
      }
      if (trash != null) {
        emptyQuietly(id, trash);
      }
    };
  }

  /** Bounded: a conmon that hangs is not worth a delete that never ends. */
  private static void awaitShimExit(ContainerRef id, Created shim) {
    if (shim != null
        && !ProcessWait.exited(shim.conmonPid(), shim.conmonStartTime(), SHIM_EXIT_WAIT)) {
      log.warn("container {}: conmon still runs {} after the exit", id, SHIM_EXIT_WAIT);
    }
  }

  /** The part of a delete done before the answer; null when it was the full, slow removal. */
  private StateDir.Trash moveAside(CgroupTarget target) {
    ContainerRef id = target.ref();
    unwatch(id);
    metrics.containerRetiring(target); // its last cgroup reading, while the cgroup exists
    if (hasPoststopHooks(id) || !Cgroups.removeEmpty(target.cgroupsPath())) {
      cleanUp(id);
      return null;
    }
    runtime.removeShimLinks(id);
    try {
      return state.moveToTrash(id);
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: moving state aside: %s", id, e);
    }
  }

  private boolean hasPoststopHooks(ContainerRef id) {
    try {
      return Files.readString(state.paths(id).bundle().resolve("config.json"))
          .contains("\"poststop\"");
    } catch (IOException e) {
      return false; // no bundle copy (a host restart emptied --state): nothing for runc to run
    }
  }

  private static void emptyQuietly(ContainerRef id, StateDir.Trash trash) {
    try {
      StateDir.empty(trash);
    } catch (IOException e) {
      log.warn("container {}: removing its deleted state: {}; the next start will", id, e);
    }
  }

  private void unwatch(ContainerRef id) {
    watcher.unwatch(id + "/" + Ids.INIT);
    watcher.unwatchOom(id); // before the cgroup goes: removing it wakes a v1 OOM eventfd
  }

  /** runc delete, then the conmon leftovers and both state dirs. */
  void cleanUp(ContainerRef id) {
    unwatch(id);
    runtime.delete(id, true); // also removes conmon's socket link; the rest is in our dirs
    try {
      state.remove(id);
    } catch (IOException e) {
      throw CorralException.internal(e, "container %s: removing state: %s", id, e.getMessage());
    }
  }
}
