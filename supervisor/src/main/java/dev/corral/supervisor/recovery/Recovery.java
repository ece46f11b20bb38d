package dev.corral.supervisor.recovery;

import static java.util.stream.Collectors.toSet;

import dev.corral.core.ContainerRef;
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
import dev.corral.supervisor.task.RecoverTask;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import dev.corral.supervisor.task.SpecView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code --root} when the daemon starts and decides, for each container directory, what the
 * container is now. The durable facts are the metadata and {@code shim.json} (written before runc
 * start); {@code status.json} is only a hint because it is written asynchronously.
 *
 * <ul>
 *   <li>sound metadata but no runtime dir in {@code --state}: the host restarted ({@link
 *       HostRestart}): reported once as exited 255, reason {@code host-restart};
 *   <li>a restart cut short ({@code restarting.json}): stopped, as before it ({@link
 *       InterruptedRestart});
 *   <li>no metadata and no shim record: a create was interrupted before it wrote anything (nothing
 *       ran yet): removed, like any interrupted start;
 *   <li>only {@code status.json} unreadable: set aside and ignored; the rest below decides, and the
 *       container is reported with a {@code recovered} event;
 *   <li>other records unreadable or missing: runc decides, never the damage. A workload runc shows
 *       alive is kept ({@link Salvage}: rebuilt, or {@code unknown} when its shim cannot be
 *       identified); one runc shows {@code created} never ran and is removed like an interrupted
 *       start; anything else cannot run and is moved to {@code ROOT/quarantine/} (reported by a
 *       {@code quarantine} event; stopped runc state is deleted, nothing is killed);
 *   <li>no shim record: a start was in flight: whatever it left is killed and removed (the start
 *       failed; its client never got an answer), unless runc shows it alive (then as above);
 *   <li>the same conmon still alive (pid and /proc start time, since pids are reused fast): running
 *       (unless runc start never happened: then removed like an interrupted start);
 *   <li>conmon gone, exit file there: exited while no daemon watched, with that code and time;
 *   <li>conmon gone, no exit file: shim lost: the orphan is killed (137) or was gone (255).
 * </ul>
 *
 * Each container's execs are then resolved the same way by {@link ExecRecovery}. Then {@link
 * OrphanSweep} removes what neither a record nor a directory accounts for.
 *
 * <p>Blocking (files, /proc, runc): used once, by the thread that starts the daemon, before the API
 * serves and off the supervisor loop. {@link #scan} decides the containers in parallel on the
 * common fork-join pool; the lists of abandoned and quarantined directories are the only state
 * those threads share (concurrent lists).
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final Clock clock;
  private final String cgroupParent;
  private final ExecRecovery execs;
  private final List<ContainerRef> abandoned = new CopyOnWriteArrayList<>(); // scan threads
  private final List<RecoverTask.Quarantined> quarantined =
      new CopyOnWriteArrayList<>(); // scan threads
  private final Salvage salvage;
  private final InterruptedRestart interruptedRestart;

  public Recovery(ContainerRuntime runtime, StateDir state, Clock clock, String cgroupParent) {
    this.runtime = runtime;
    this.state = state;
    this.clock = clock;
    this.cgroupParent = cgroupParent;
    this.execs = new ExecRecovery(runtime, state, clock);
    this.salvage = new Salvage(state, clock, cgroupParent);
    this.interruptedRestart = new InterruptedRestart(runtime, state);
  }

  /** Resolves every container directory and sweeps orphans; returns what the table should hold. */
  public List<RecoveredContainer> scan() throws IOException {
    long t0 = System.nanoTime();
    // Each container is independent and the work is small file reads: spread it over the
    // common pool (the order of the table does not matter; the list is sorted for the log).
    List<RecoveredContainer> found =
        state.containerIds().parallelStream().flatMap(id -> load(id).stream()).toList();
    long t1 = System.nanoTime();
    Set<ContainerRef> kept = quarantined.stream().map(RecoverTask.Quarantined::id).collect(toSet());
    new OrphanSweep(runtime, state, cgroupParent).sweep(found, abandoned, kept);
    log.info(
        "found {} containers ({} running, {} running execs) in {} ms, swept orphans in {} ms;"
            + " {} interrupted starts removed, {} quarantined",
        found.size(),
        found.stream().filter(RecoveredContainer::running).count(),
        found.stream().flatMap(c -> c.execs().stream()).filter(RecoveredExec::running).count(),
        (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000,
        abandoned.size(),
        quarantined.size());
    return found;
  }

  /** What the container's inspect shows of its spec, from the daemon's copy of config.json. */
  private SpecView spec(ContainerRef id) {
    return SpecView.read(state.paths(id).bundle());
  }

  /** The directories {@link #scan} moved to quarantine, and why. */
  public List<RecoverTask.Quarantined> quarantined() {
    return List.copyOf(quarantined);
  }

  /**
   * The decision for one directory. Sound records go through {@link #resolve}; a damaged status
   * hint is ignored. Otherwise runc decides: a workload it shows alive is kept ({@link Salvage}),
   * one it shows created never ran (an interrupted start), and the rest cannot run: quarantined.
   */
  private Optional<RecoveredContainer> load(ContainerRef id) {
    Optional<RecoveredContainer> cutShort = interruptedRestart.resolve(id);
    if (cutShort.isPresent()) {
      return cutShort.map(x -> x.withSpec(spec(id)));
    }
    DirRecords r = DirRecords.read(state, id, cgroupParent);
    if (r.meta() != null && !state.hasRuntimeState(id)) {
      return afterHostRestart(r.meta(), r.status());
    }
    boolean keptUnknown = r.status().map(s -> "unknown".equals(s.status())).orElse(false);
    if (r.meta() != null && r.shim() != null && !keptUnknown) {
      Optional<RecoveredContainer> c = resolve(r.meta(), r.shim(), r.status());
      if (r.onlyStatusDamaged()) {
        setAside(id, "status.json");
        c = c.map(x -> x.withDamage(r.damage() + "; ignored, the other records are sound"));
      }
      return c.map(x -> x.withExecs(execs.execs(x)).withSpec(spec(id)));
    }
    String damage = keptUnknown ? "kept as unknown before this start" : r.damage();
    Optional<RuncState> rs = runcState(id);
    if (rs.isPresent() && rs.get().alive()) {
      return Optional.of(salvage.keep(r, rs.get(), damage).withSpec(spec(id)));
    }
    if (r.sound() && r.shimAbsent() && !keptUnknown) {
      abandon(id, "start interrupted before runc create finished");
    } else if (rs.isPresent() && "created".equals(rs.get().status())) {
      abandon(id, "start interrupted before runc start, and its records are damaged");
    } else {
      quarantine(id, rs, damage);
    }
    return Optional.empty();
  }

  private Optional<RuncState> runcState(ContainerRef id) {
    try {
      return runtime.state(id);
    } catch (RuntimeException e) {
      log.warn("container {}: runc state: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<RecoveredContainer> afterHostRestart(
      ContainerRecord meta, Optional<StatusRecord> status) {
    log.warn("container {}: its runtime state is gone: the host restarted", meta.ref());
    try {
      return Optional.of(HostRestart.resolve(meta, status, Instant.now(clock)));
    } catch (java.time.DateTimeException e) {
      // a time in status.json or container.json that does not parse; nothing can run
      quarantine(meta.ref(), Optional.empty(), "host restarted, and " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A container whose records are sound: running, exited, lost its shim, or never started. */
  public Optional<RecoveredContainer> resolve(
      ContainerRecord meta, ShimRecord shim, Optional<StatusRecord> status) {
    Created created =
        new Created(
            shim.initPid(),
            shim.conmonPid(),
            shim.conmonStartTime(),
            shim.initStartKnown() ? shim.initStartTime() : Created.UNKNOWN);
    Instant startedAt = startedAt(meta, status);
    // A status of an earlier run (a restart's new shim.json is written before the loop's next
    // status snapshot) names another conmon: it says nothing about this run.
    Optional<RecoveredContainer.Exit> before =
        status.filter(s -> sameShim(s, shim)).flatMap(Recovery::recordedExit);
    if (before.isPresent()) {
      return Optional.of(new RecoveredContainer(meta, created, startedAt, before.get(), false));
    }
    if (ProcStat.alive(shim.conmonPid(), shim.conmonStartTime())) {
      return runningOrAbandoned(meta, created, startedAt, status);
    }
    RecoveredContainer.Exit exit = exitWithoutShim(meta.ref());
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
      Optional<RuncState> rs = runtime.state(meta.ref());
      if (rs.isEmpty() || "created".equals(rs.get().status())) {
        abandon(meta.ref(), "start interrupted before runc start");
        return Optional.empty();
      }
    }
    boolean paused = CgroupFreezer.frozen(Cgroups.ROOT, meta.cgroupsPath(cgroupParent));
    return Optional.of(new RecoveredContainer(meta, created, startedAt, null, false, paused));
  }

  /** conmon is gone: its exit file has the code, or the shim was lost and so is the code. */
  private RecoveredContainer.Exit exitWithoutShim(ContainerRef id) {
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

  private static boolean sameShim(StatusRecord s, ShimRecord shim) {
    return s.conmonPid() == shim.conmonPid() && s.conmonStartTime() == shim.conmonStartTime();
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

  /**
   * Moves a directory that cannot run aside. Its runc state, if any, is stopped: deleting it kills
   * nothing and frees the id; the orphan sweep leaves the rest of a quarantined id alone.
   */
  private void quarantine(ContainerRef id, Optional<RuncState> rs, String damage) {
    String why = damage + rs.map(s -> "; runc shows it " + s.status()).orElse("; unknown to runc");
    try {
      Path to = state.quarantine(id, System.nanoTime());
      quarantined.add(new RecoverTask.Quarantined(id, why));
      log.warn("container {}: cannot run ({}); moved to {}", id, why, to);
    } catch (IOException e) {
      log.error("container {}: cannot run ({}), and quarantine failed: {}", id, why, e.toString());
      return;
    }
    if (rs.isPresent() && "stopped".equals(rs.get().status())) {
      try {
        runtime.delete(id, false);
      } catch (RuntimeException e) {
        log.warn("container {}: deleting its stopped runc state: {}", id, e.getMessage());
      }
    }
  }

  private void setAside(ContainerRef id, String file) {
    try {
      state
          .setAside(state.paths(id).dir().resolve(file), System.nanoTime())
          .ifPresent(to -> log.warn("container {}: damaged {} kept as {}", id, file, to));
    } catch (IOException e) {
      log.warn("container {}: setting damaged {} aside: {}", id, file, e.toString());
    }
  }

  /** Kills what an interrupted start left (conmon, runc create, the init) and removes its dir. */
  private void abandon(ContainerRef id, String why) {
    log.warn("container {}: {}; the start failed and is cleaned up", id, why);
    abandoned.add(id);
    try {
      state.remove(id);
    } catch (IOException e) {
      log.error("container {}: removing the state of an interrupted start: {}", id, e.toString());
    }
  }
}
