package dev.corral.supervisor.restart;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcessWait;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.RestartFiles;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.lifecycle.StartJob;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.RestartResultTask;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of a start or restart of a stopped container, on a worker: the previous run's
 * runc state and exit files go, then {@link StartJob#launchAgain} makes the new run from the
 * daemon's copy of the bundle (the log is appended to), and a {@link RestartResultTask} reports it.
 *
 * <p>Crash safety: {@code restarting.json} (the stopped status the restart began from) is written
 * before anything of the previous run is removed, and removed only once the new run is started and
 * its {@code shim.json} written. A daemon that finds the marker kills what the new run left and
 * keeps the container stopped as the marker says (see {@code recovery.InterruptedRestart}); its
 * policy then restarts it. A failed restart leaves the marker for the same reason.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class RestartJob {
  private static final Logger log = LoggerFactory.getLogger(RestartJob.class);
  private static final Duration SHIM_EXIT_WAIT = Duration.ofSeconds(2);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Notifier notifier;
  private final ExitWatcher watcher;
  private final StartJob starts;
  private final Clock clock;

  public RestartJob(
      ContainerRuntime runtime,
      StateDir state,
      Notifier notifier,
      ExitWatcher watcher,
      StartJob starts,
      Clock clock) {
    this.runtime = runtime;
    this.state = state;
    this.notifier = notifier;
    this.watcher = watcher;
    this.starts = starts;
    this.clock = clock;
  }

  Runnable restart(ContainerRecord meta, long token, StatusRecord exited, Created previous) {
    ContainerRef id = meta.ref();
    return () -> {
      ContainerPaths p = state.paths(id);
      try {
        long t0 = System.nanoTime();
        RestartFiles.begin(p, exited);
        long t1 = System.nanoTime();
        clearPreviousRun(id, p, previous);
        long t2 = System.nanoTime();
        Created c = starts.launchAgain(meta, p);
        long t3 = System.nanoTime();
        RestartFiles.end(p);
        log.debug(
            "container {}: restart marked in {} us, last run cleared in {} us, run in {} us",
            id,
            (t1 - t0) / 1000,
            (t2 - t1) / 1000,
            (t3 - t2) / 1000);
        notifier.publish(RestartResultTask.ok(id, token, c, Instant.now(clock)));
      } catch (RuntimeException | IOException e) {
        CorralException error = CorralException.wrap(e, "container " + id + ": restart");
        rollBack(id);
        notifier.publish(RestartResultTask.failed(id, token, error));
      }
    };
  }

  /**
   * conmon may still be writing its exit file when the exit is reported: it must be done before the
   * files go, or its late write would land in the new run's persist dir.
   */
  private void clearPreviousRun(ContainerRef id, ContainerPaths p, Created previous)
      throws IOException {
    if (previous != null
        && previous.conmonPid() > 0
        && !ProcessWait.exited(previous.conmonPid(), previous.conmonStartTime(), SHIM_EXIT_WAIT)) {
      log.warn("container {}: conmon still runs {} after the exit", id, SHIM_EXIT_WAIT);
    }
    watcher.unwatch(id + "/" + Ids.INIT);
    watcher.unwatchOom(id); // before runc delete: removing the cgroup wakes a v1 OOM eventfd
    runtime.delete(id, true); // also removes conmon's socket link
    Files.deleteIfExists(p.exitFile());
    Files.deleteIfExists(p.persist().resolve("oom"));
    Files.deleteIfExists(p.exits().resolve(id.id()));
    StateDir.removeTree(p.execsDir()); // the previous run's execs ended with it
  }

  /** What a failed attempt left running is killed; the marker stays (the container is stopped). */
  private void rollBack(ContainerRef id) {
    watcher.unwatch(id + "/" + Ids.INIT);
    watcher.unwatchOom(id);
    try {
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: cleaning up a failed restart: {}", id, e.getMessage());
    }
  }
}
