package dev.corral.supervisor.restart;

import dev.corral.core.ContainerRef;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.StopSignal;
import dev.corral.state.StateDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of a stop, on a worker: the container's stop signal (the bundle's {@code
 * org.opencontainers.image.stopSignal} annotation, else TERM) through {@code runc kill}, and the
 * KILL of every process when the grace period ends. Nothing is reported back: the exit that follows
 * is.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class StopJob {
  private static final Logger log = LoggerFactory.getLogger(StopJob.class);
  private static final int SIGKILL = 9;

  private final ContainerRuntime runtime;
  private final StateDir state;

  public StopJob(ContainerRuntime runtime, StateDir state) {
    this.runtime = runtime;
    this.state = state;
  }

  Runnable signal(ContainerRef id) {
    return () -> send(id, StopSignal.of(state.paths(id).bundle()), false);
  }

  Runnable kill(ContainerRef id) {
    return () -> send(id, SIGKILL, true);
  }

  private void send(ContainerRef id, int signal, boolean all) {
    try {
      runtime.kill(id, signal, all);
    } catch (RuntimeException e) {
      // Most often it exited meanwhile; its exit still reaches the loop and answers the stop.
      log.info("container {}: stop: signal {}: {}", id, signal, e.getMessage());
    }
  }
}
