package dev.corral.supervisor.task;

import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.supervisor.recovery.Recovery;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A container as found in {@code --root} when the daemon starts: its metadata, its shim, and its
 * exit when it is no longer running. Immutable; built off the loop by {@link Recovery}.
 *
 * @param exit null while the container runs
 * @param exitUnreported the exit happened while no daemon watched: it still owes an {@code exit}
 *     event
 * @param paused its cgroup is frozen: it was paused when the last daemon stopped
 * @param execs its execs, running or stopped, in id order
 */
public record RecoveredContainer(
    ContainerRecord meta,
    Created created,
    Instant startedAt,
    Exit exit,
    boolean exitUnreported,
    boolean paused,
    List<RecoveredExec> execs) {
  /** How a recovered container ended. */
  public record Exit(int code, Instant at, String reason) {}

  public RecoveredContainer {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(created, "created");
    if (exitUnreported && exit == null) {
      throw new IllegalArgumentException("container " + meta.id() + ": no exit to report");
    }
    execs = List.copyOf(execs);
  }

  /** A container without execs. */
  public RecoveredContainer(
      ContainerRecord meta,
      Created created,
      Instant startedAt,
      Exit exit,
      boolean exitUnreported,
      boolean paused) {
    this(meta, created, startedAt, exit, exitUnreported, paused, List.of());
  }

  /** This container with {@code found} as its execs. */
  public RecoveredContainer withExecs(List<RecoveredExec> found) {
    return new RecoveredContainer(meta, created, startedAt, exit, exitUnreported, paused, found);
  }

  /** A container that is not paused, without execs. */
  public RecoveredContainer(
      ContainerRecord meta, Created created, Instant startedAt, Exit exit, boolean exitUnreported) {
    this(meta, created, startedAt, exit, exitUnreported, false);
  }

  public String id() {
    return meta.id();
  }

  public boolean running() {
    return exit == null;
  }
}
