package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.Timestamps;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcStat;
import dev.corral.runtime.RuncState;
import dev.corral.state.ContainerPaths;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.task.RecoveredContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a container whose records are damaged but whose workload runc shows alive (running or
 * paused): damaged state must never kill a live workload on its own. What is missing is rebuilt:
 * the metadata from runc's state and the daemon's bundle copy, the shim from conmon's pid file
 * (trusted only when that process is the parent of the init runc names). With a shim it is
 * recovered as a normal running container and its rebuilt records are written back; without one it
 * is kept as {@code unknown}, unwatched. The damaged files are renamed aside, never deleted.
 *
 * <p>Blocking (files, /proc); runs on the recovery scan threads. Thread-safe (no state).
 */
final class Salvage {
  private static final Logger log = LoggerFactory.getLogger(Salvage.class);

  private final StateDir state;
  private final Clock clock;
  private final String cgroupParent;

  Salvage(StateDir state, Clock clock, String cgroupParent) {
    this.state = state;
    this.clock = clock;
    this.cgroupParent = cgroupParent;
  }

  /**
   * The container of {@code r}, kept alive as runc reports it in {@code rs}; {@code damage} why.
   */
  RecoveredContainer keep(DirRecords r, RuncState rs, String damage) {
    ContainerRecord meta = r.meta() != null ? r.meta() : rebuiltMeta(r.id(), rs);
    Optional<ShimRecord> shim = Optional.ofNullable(r.shim()).or(() -> shimFromPidFile(r.id(), rs));
    Instant startedAt = startedAt(r, rs, meta);
    setAsideDamaged(r);
    if (shim.isEmpty() || !sameShim(shim.get(), rs)) {
      writeBack(r, meta, null);
      log.warn(
          "container {}: damaged records ({}); runc shows it {} but its shim is unknown: kept as"
              + " unknown, left running until deleted",
          r.id(),
          damage,
          rs.status());
      return RecoveredContainer.unknown(
          meta, rs.pid(), startedAt, damage + "; shim unknown, kept as unknown");
    }
    writeBack(r, meta, shim.get());
    ShimRecord s = shim.get();
    boolean paused =
        "paused".equals(rs.status()) || CgroupFreezer.frozen(Cgroups.ROOT, meta.cgroupsPath());
    log.warn(
        "container {}: damaged records ({}); runc shows it {}: rebuilt and recovered",
        r.id(),
        damage,
        rs.status());
    Created created = new Created(rs.pid(), s.conmonPid(), s.conmonStartTime());
    return new RecoveredContainer(meta, created, startedAt, null, false, paused)
        .withDamage(damage + "; rebuilt from runc state");
  }

  /**
   * What can be known of a container without its {@code container.json}: the creation time from
   * runc, whether it has a terminal from the bundle copy. Its labels, stdin, runtime arguments and
   * the user's bundle path are lost; the bundle shown is the daemon's copy.
   */
  private ContainerRecord rebuiltMeta(ContainerRef id, RuncState rs) {
    ContainerPaths p = state.paths(id);
    boolean terminal = false;
    try {
      terminal = Bundles.terminal(p.bundle());
    } catch (RuntimeException e) {
      log.warn(
          "container {}: bundle copy unreadable, assuming no terminal: {}", id, e.getMessage());
    }
    String createdAt = validTime(rs.created()).orElseGet(() -> Timestamps.format(clock.instant()));
    return new ContainerRecord(
        id.id(),
        p.bundle().toString(),
        Map.of(),
        false,
        terminal,
        List.of(),
        createdAt,
        id.namespace(),
        cgroupsPath(id));
  }

  /**
   * Where its cgroup is: {@code PARENT/NS/ID}, or {@code PARENT/ID} for a container of the default
   * namespace created before namespaces, when that one exists.
   */
  private String cgroupsPath(ContainerRef id) {
    String legacy = cgroupParent + "/" + id.id();
    if (id.inDefault() && Files.isDirectory(Cgroups.memory(legacy))) {
      return legacy;
    }
    return Cgroups.namespace(cgroupParent, id.namespace()) + "/" + id.id();
  }

  /**
   * conmon writes its long-lived pid to {@code conmon.pid}; that process is the container's conmon
   * only if it is the parent of the init runc names (conmon is the init's subreaper parent).
   */
  private Optional<ShimRecord> shimFromPidFile(ContainerRef id, RuncState rs) {
    OptionalInt pid = readPid(state.paths(id).conmonPidFile());
    if (pid.isEmpty() || rs.pid() < 1) {
      return Optional.empty();
    }
    OptionalLong start = ProcStat.startTime(pid.getAsInt());
    if (start.isEmpty() || !isParent(pid.getAsInt(), rs.pid())) {
      return Optional.empty();
    }
    return Optional.of(new ShimRecord(pid.getAsInt(), start.getAsLong(), rs.pid()));
  }

  /** The recorded conmon still lives and is still the parent of the init runc names. */
  private static boolean sameShim(ShimRecord s, RuncState rs) {
    return ProcStat.alive(s.conmonPid(), s.conmonStartTime()) && isParent(s.conmonPid(), rs.pid());
  }

  private static boolean isParent(int parent, int child) {
    OptionalInt p = ProcStat.parent(child);
    return p.isPresent() && p.getAsInt() == parent;
  }

  private static OptionalInt readPid(Path file) {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(file).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Instant startedAt(DirRecords r, RuncState rs, ContainerRecord meta) {
    String at = r.status().map(StatusRecord::startedAt).orElse(null);
    return Instant.parse(at != null ? at : validTime(rs.created()).orElse(meta.createdAt()));
  }

  private static Optional<String> validTime(String t) {
    try {
      return t == null ? Optional.empty() : Optional.of(Timestamps.format(Instant.parse(t)));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Renames each damaged file to {@code NAME.damaged-NANOS}, kept for inspection. */
  private void setAsideDamaged(DirRecords r) {
    ContainerPaths p = state.paths(r.id());
    for (String name : r.damaged()) {
      try {
        state
            .setAside(p.dir().resolve(name), System.nanoTime())
            .ifPresent(to -> log.warn("container {}: damaged {} kept as {}", r.id(), name, to));
      } catch (IOException e) {
        log.warn("container {}: setting damaged {} aside: {}", r.id(), name, e.toString());
      }
    }
  }

  /** Writes the rebuilt metadata and shim record, so the next start finds sound records. */
  private void writeBack(DirRecords r, ContainerRecord meta, ShimRecord shim) {
    try {
      if (r.meta() == null) {
        state.rewriteMetadata(meta);
      }
      if (shim != null && r.shim() == null) {
        state.writeShim(r.id(), shim);
      }
    } catch (IOException e) {
      log.warn("container {}: writing rebuilt records: {}", r.id(), e.toString());
    }
  }
}
