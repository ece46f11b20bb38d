package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcStat;
import dev.corral.runtime.ProcessWait;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.RestartFiles;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.task.RecoveredContainer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restart the last daemon began and did not finish ({@code restarting.json} is there): the
 * previous run may be half removed and the new one half made. What the new run left is killed
 * ({@code runc delete --force}; its conmon then exits), and the container is the stopped one the
 * marker describes, its exit already reported (the marker is written only after the exit event was
 * journaled). Its restart policy then runs it again.
 *
 * <p>Blocking; runs on the recovery scan's threads, off the loop. Stateless.
 */
final class InterruptedRestart {
  private static final Logger log = LoggerFactory.getLogger(InterruptedRestart.class);
  private static final Duration SHIM_EXIT_WAIT = Duration.ofSeconds(2);

  private final ContainerRuntime runtime;
  private final StateDir state;

  InterruptedRestart(ContainerRuntime runtime, StateDir state) {
    this.runtime = runtime;
    this.state = state;
  }

  /** The stopped container, or empty when no restart was cut short (or its records are bad). */
  Optional<RecoveredContainer> resolve(ContainerRef id) {
    ContainerPaths p = state.paths(id);
    try {
      Optional<StatusRecord> marker = RestartFiles.interrupted(p);
      if (marker.isEmpty()) {
        return Optional.empty();
      }
      ContainerRecord meta = state.readMetadata(id);
      killNewRun(id);
      return Optional.of(stopped(meta, marker.get()));
    } catch (IOException | RuntimeException e) {
      log.warn("container {}: interrupted restart unreadable: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private void killNewRun(ContainerRef id) throws IOException {
    log.warn("container {}: a restart was interrupted; what it made is removed", id);
    try {
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: runc delete of the interrupted run: {}", id, e.getMessage());
    }
    Optional<ShimRecord> shim = state.readShim(id);
    if (shim.isPresent()
        && ProcStat.alive(shim.get().conmonPid(), shim.get().conmonStartTime())
        && !ProcessWait.exited(
            shim.get().conmonPid(), shim.get().conmonStartTime(), SHIM_EXIT_WAIT)) {
      log.warn("container {}: conmon {} outlived its container", id, shim.get().conmonPid());
    }
  }

  private static RecoveredContainer stopped(ContainerRecord meta, StatusRecord was) {
    Created created = new Created(was.pid(), was.conmonPid(), was.conmonStartTime());
    Instant started = Instant.parse(was.startedAt() != null ? was.startedAt() : meta.createdAt());
    Instant exited = was.exitedAt() == null ? started : Instant.parse(was.exitedAt());
    RecoveredContainer.Exit exit =
        new RecoveredContainer.Exit(was.exitCode(), exited, was.reason());
    return new RecoveredContainer(meta, created, started, exit, false);
  }
}
