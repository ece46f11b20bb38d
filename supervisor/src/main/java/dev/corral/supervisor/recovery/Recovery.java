package dev.corral.supervisor.recovery;

import dev.corral.monitor.ExitFile;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcStat;
import dev.corral.runtime.RuncState;
import dev.corral.state.ContainerRecord;
import dev.corral.state.ShimRecord;
import dev.corral.state.StateDir;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.exit.ExitJob;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code --root} when the daemon starts and decides, for each container directory, what the
 * container is now. The durable facts are the metadata and {@code shim.json} (written before runc
 * start); {@code status.json} is only a hint because it is written asynchronously.
 *
 * <ul>
 *   <li>no runtime dir in {@code --state}: the host restarted ({@link HostRestart});
 *   <li>unreadable files: the directory is moved to {@code ROOT/quarantine/};
 *   <li>no shim record: a start was in flight: whatever it left is killed and removed (the start
 *       failed; its client never got an answer);
 *   <li>the same conmon still alive (pid and /proc start time, since pids are reused fast): running
 *       (unless runc start never happened: then removed like an interrupted start);
 *   <li>conmon gone, exit file there: exited while no daemon watched, with that code and time;
 *   <li>conmon gone, no exit file: shim lost: the orphan is killed (137) or was gone (255).
 * </ul>
 *
 * Each container's execs are then resolved the same way by {@link ExecRecovery}. Then {@link
 * OrphanSweep} removes what has no record at all.
 *
 * <p>Blocking (files, /proc, runc): runs once, on the thread that starts the daemon, before the API
 * serves and off the supervisor loop. Not thread-safe; use one instance once.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Clock clock;
  private final String cgroupParent;
  private final ExecRecovery execs;
  private final List<String> abandoned = new CopyOnWriteArrayList<>(); // scan threads
  private final AtomicInteger quarantined = new AtomicInteger(); // scan threads

  public Recovery(ContainerRuntime runtime, StateDir state, Clock clock, String cgroupParent) {
    this.runtime = runtime;
    this.state = state;
    this.clock = clock;
    this.cgroupParent = cgroupParent;
    this.execs = new ExecRecovery(runtime, state, clock);
  }

  /** Resolves every container directory and sweeps orphans; returns what the table should hold. */
  public List<RecoveredContainer> scan() throws IOException {
    long t0 = System.nanoTime();
    // Each container is independent and the work is small file reads: spread it over the
    // common pool (the order of the table does not matter; the list is sorted for the log).
    List<RecoveredContainer> found =
        state.containerIds().parallelStream().flatMap(id -> load(id).stream()).toList();
    long t1 = System.nanoTime();
    new OrphanSweep(runtime, state, cgroupParent).sweep(found, abandoned);
    log.info(
        "found {} containers ({} running, {} running execs) in {} ms, swept orphans in {} ms;"
            + " {} interrupted starts removed, {} quarantined",
        found.size(),
        found.stream().filter(RecoveredContainer::running).count(),
        found.stream().flatMap(c -> c.execs().stream()).filter(RecoveredExec::running).count(),
        (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000,
        abandoned.size(),
        quarantined.get());
    return found;
  }

  private Optional<RecoveredContainer> load(String id) {
    ContainerRecord meta;
    Optional<ShimRecord> shim;
    Optional<StatusRecord> status;
    try {
      meta = state.readMetadata(id);
      shim = state.readShim(id);
      status = state.readStatusIfAny(id);
      if (!id.equals(meta.id())) {
        throw new IOException("container.json names " + meta.id());
      }
    } catch (IOException | RuntimeException e) {
      quarantine(id, e);
      return Optional.empty();
    }
    if (!state.hasRuntimeState(id)) {
      return afterHostRestart(meta, status);
    }
    if (shim.isEmpty()) {
      abandon(id, "start interrupted before runc create finished");
      return Optional.empty();
    }
    try {
      return resolve(meta, shim.get(), status).map(c -> c.withExecs(execs.execs(c)));
    } catch (java.time.DateTimeException e) {
      quarantine(id, e); // a time in status.json or container.json that does not parse
      return Optional.empty();
    }
  }

  private Optional<RecoveredContainer> afterHostRestart(
      ContainerRecord meta, Optional<StatusRecord> status) {
    log.warn("container {}: its runtime state is gone: the host restarted", meta.id());
    try {
      return Optional.of(HostRestart.resolve(meta, status, Instant.now(clock)));
    } catch (java.time.DateTimeException e) {
      quarantine(meta.id(), e);
      return Optional.empty();
    }
  }

  /** A container whose records are sound: running, exited, lost its shim, or never started. */
  public Optional<RecoveredContainer> resolve(
      ContainerRecord meta, ShimRecord shim, Optional<StatusRecord> status) {
    Created created = new Created(shim.initPid(), shim.conmonPid(), shim.conmonStartTime());
    Instant startedAt = startedAt(meta, status);
    Optional<RecoveredContainer.Exit> before = status.flatMap(Recovery::recordedExit);
    if (before.isPresent()) {
      return Optional.of(new RecoveredContainer(meta, created, startedAt, before.get(), false));
    }
    if (ProcStat.alive(shim.conmonPid(), shim.conmonStartTime())) {
      return runningOrAbandoned(meta, created, startedAt, status);
    }
    RecoveredContainer.Exit exit = exitWithoutShim(meta.id());
    return Optional.of(new RecoveredContainer(meta, created, startedAt, exit, true));
  }

  /**
   * The shim lives. A status of running proves runc start happened; without it (status.json lags)
   * ask runc, and a container still in "created" was never started: remove it.
   */
  private Optional<RecoveredContainer> runningOrAbandoned(
      ContainerRecord meta, Created created, Instant startedAt, Optional<StatusRecord> status) {
    boolean started = status.map(s -> "running".equals(s.status())).orElse(false);
    if (!started) {
      Optional<RuncState> rs = runtime.state(meta.id());
      if (rs.isEmpty() || "created".equals(rs.get().status())) {
        abandon(meta.id(), "start interrupted before runc start");
        return Optional.empty();
      }
    }
    boolean paused = CgroupFreezer.frozen(Cgroups.ROOT, cgroupParent, meta.id());
    return Optional.of(new RecoveredContainer(meta, created, startedAt, null, false, paused));
  }

  /** conmon is gone: its exit file has the code, or the shim was lost and so is the code. */
  private RecoveredContainer.Exit exitWithoutShim(String id) {
    Path exitFile = state.paths(id).exitFile();
    OptionalInt code = ExitFile.code(exitFile);
    if (code.isPresent()) {
      log.info("container {}: exited {} while the daemon was down", id, code.getAsInt());
      return new RecoveredContainer.Exit(code.getAsInt(), ExitFile.exitedAt(exitFile), null);
    }
    int lost = ExitJob.killOrphan(runtime, id);
    log.warn("container {}: shim lost while the daemon was down; reporting exit {}", id, lost);
    return new RecoveredContainer.Exit(lost, Instant.now(clock), ExitHandler.SHIM_LOST);
  }

  private static Optional<RecoveredContainer.Exit> recordedExit(StatusRecord s) {
    if (!"stopped".equals(s.status())) {
      return Optional.empty();
    }
    Instant at = s.exitedAt() == null ? Instant.EPOCH : Instant.parse(s.exitedAt());
    return Optional.of(new RecoveredContainer.Exit(s.exitCode(), at, s.reason()));
  }

  private static Instant startedAt(ContainerRecord meta, Optional<StatusRecord> status) {
    String at = status.map(StatusRecord::startedAt).orElse(null);
    return Instant.parse(at != null ? at : meta.createdAt());
  }

  private void quarantine(String id, Exception why) {
    try {
      Path to = state.quarantine(id, System.nanoTime());
      quarantined.incrementAndGet();
      log.warn("container {}: unreadable state ({}); moved to {}", id, why.getMessage(), to);
    } catch (IOException e) {
      log.error("container {}: unreadable state, and quarantine failed: {}", id, e.toString());
    }
  }

  /** Kills what an interrupted start left (conmon, runc create, the init) and removes its dir. */
  private void abandon(String id, String why) {
    log.warn("container {}: {}; the start failed and is cleaned up", id, why);
    abandoned.add(id);
    try {
      state.remove(id);
    } catch (IOException e) {
      log.error("container {}: removing the state of an interrupted start: {}", id, e.toString());
    }
  }
}
