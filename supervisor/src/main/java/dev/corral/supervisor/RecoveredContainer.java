package dev.corral.supervisor;

import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * A container as found in {@code --root} when the daemon starts: its metadata, its shim, and its
 * exit when it is no longer running. Immutable; built off the loop by {@link Recovery}.
 *
 * @param exit null while the container runs
 * @param exitUnreported the exit happened while no daemon watched: it still owes an {@code exit}
 *     event
 * @param paused its cgroup is frozen: it was paused when the last daemon stopped
 */
public record RecoveredContainer(
    ContainerRecord meta,
    Created created,
    Instant startedAt,
    Exit exit,
    boolean exitUnreported,
    boolean paused) {
  /** How a recovered container ended. */
  public record Exit(int code, Instant at, String reason) {}

  public RecoveredContainer {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(created, "created");
  }

  /** A container that is not paused. */
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
