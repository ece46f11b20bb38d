package dev.corral.supervisor.exit;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.RuncState;
import dev.corral.supervisor.model.ExecProcess;
import dev.corral.supervisor.model.ExitWatcher;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.ShimLostTask;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link ExitHandler}, on worker threads: killing what a lost shim left
 * running (reported as a {@link ShimLostTask}) and the execs that outlive their init.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class ExitJob {
  private static final Logger log = LoggerFactory.getLogger(ExitJob.class);
  private static final int SIGKILL = 9;

  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final ExitWatcher watcher;
  private final Clock clock;

  public ExitJob(ContainerRuntime runtime, Notifier notifier, ExitWatcher watcher, Clock clock) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.watcher = watcher;
    this.clock = clock;
  }

  /** A container's shim died without an exit code: kill and clean what it left, report it. */
  Runnable shimLost(ContainerRef id) {
    return () -> {
      watcher.unwatch(id + "/" + Ids.INIT);
      notifier.publish(new ShimLostTask(id, Ids.INIT, killOrphan(runtime, id), Instant.now(clock)));
    };
  }

  /**
   * Kills a container whose shim is gone ({@code runc kill --all 9}, then {@code runc delete
   * --force}, which also frees its cgroup). Returns the exit to report: 137 when it was still there
   * to kill, 255 when it was gone already. Blocking: worker or start-up thread only.
   */
  public static int killOrphan(ContainerRuntime runtime, ContainerRef id) {
    int code = ExitHandler.UNKNOWN_EXIT;
    try {
      Optional<RuncState> s = runtime.state(id);
      if (s.isPresent() && !"stopped".equals(s.get().status())) {
        runtime.kill(id, SIGKILL, true);
        code = 137;
      }
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: killing the orphan of a lost shim: {}", id, e.getMessage());
    }
    return code;
  }

  /** An exec whose conmon died without its code: SIGKILL it (137), or it was gone (255). */
  Runnable execShimLost(ContainerRef id, ExecProcess.Target t) {
    return () -> {
      int code = ExitHandler.UNKNOWN_EXIT;
      try {
        runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), SIGKILL);
        code = 137;
      } catch (RuntimeException gone) {
        log.debug("container {}: exec {}: already gone: {}", id, t.execId(), gone.getMessage());
      }
      notifier.publish(new ShimLostTask(id, t.execId(), code, Instant.now(clock)));
    };
  }

  /** SIGKILL to execs that outlive their init (e.g. outside its pid namespace). */
  Runnable killExecs(ContainerRef id, List<ExecProcess.Target> targets) {
    return () -> {
      for (ExecProcess.Target t : targets) {
        try {
          runtime.signalProcess(id, t.execId(), t.pid(), t.startTime(), SIGKILL);
        } catch (RuntimeException e) {
          log.debug("container {}: exec {} already gone: {}", id, t.execId(), e.getMessage());
        }
      }
    };
  }
}
