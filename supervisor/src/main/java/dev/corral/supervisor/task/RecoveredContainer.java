package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
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
 * @param damage what was found damaged in its records and how it was kept (reported by a {@code
 *     recovered} event), or null when its records were sound
 * @param unknown runc shows it running but its shim could not be identified: it is listed as {@code
 *     unknown}, left running and not watched
 * @param spec what its inspect shows of its spec, read from the daemon's bundle; null if unread
 */
public record RecoveredContainer(
    ContainerRecord meta,
    Created created,
    Instant startedAt,
    Exit exit,
    boolean exitUnreported,
    boolean paused,
    List<RecoveredExec> execs,
    String damage,
    boolean unknown,
    SpecView spec) {
  /** How a recovered container ended. */
  public record Exit(int code, Instant at, String reason) {}

  public RecoveredContainer {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(created, "created");
    if (exitUnreported && exit == null) {
      throw new IllegalArgumentException("container " + meta.id() + ": no exit to report");
    }
    execs = List.copyOf(execs);
    if (unknown && (exit != null || damage == null)) {
      throw new IllegalArgumentException(
          "container " + meta.id() + ": unknown only when damaged and not exited");
    }
  }

  /** A container with sound records. */
  public RecoveredContainer(
      ContainerRecord meta,
      Created created,
      Instant startedAt,
      Exit exit,
      boolean exitUnreported,
      boolean paused,
      List<RecoveredExec> execs) {
    this(meta, created, startedAt, exit, exitUnreported, paused, execs, null, false, null);
  }

  /**
   * A running container whose records were damaged and whose shim is not known: {@code created}
   * holds the init pid runc reported and no conmon.
   */
  public static RecoveredContainer unknown(
      ContainerRecord meta, int initPid, Instant startedAt, String damage) {
    Created c = new Created(initPid, 0, 0);
    return new RecoveredContainer(
        meta, c, startedAt, null, false, false, List.of(), damage, true, null);
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
    return new RecoveredContainer(
        meta, created, startedAt, exit, exitUnreported, paused, found, damage, unknown, spec);
  }

  /** This container, kept although {@code what} was damaged in its records. */
  public RecoveredContainer withDamage(String what) {
    return new RecoveredContainer(
        meta, created, startedAt, exit, exitUnreported, paused, execs, what, unknown, spec);
  }

  /** This container with {@code read} as what its inspect shows of its spec. */
  public RecoveredContainer withSpec(SpecView read) {
    return new RecoveredContainer(
        meta, created, startedAt, exit, exitUnreported, paused, execs, damage, unknown, read);
  }

  /** A container that is not paused, without execs. */
  public RecoveredContainer(
      ContainerRecord meta, Created created, Instant startedAt, Exit exit, boolean exitUnreported) {
    this(meta, created, startedAt, exit, exitUnreported, false);
  }

  public ContainerRef ref() {
    return meta.ref();
  }

  public boolean running() {
    return exit == null;
  }

  /** Running with a known shim: its conmon is watched again. */
  public boolean watchable() {
    return running() && !unknown;
  }
}
