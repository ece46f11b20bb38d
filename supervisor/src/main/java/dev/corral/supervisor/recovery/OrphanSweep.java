package dev.corral.supervisor.recovery;

import dev.corral.core.Ids;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ShimToken;
import dev.corral.state.StateDir;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.task.RecoveredContainer;
import dev.corral.supervisor.task.RecoveredExec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, after {@link Recovery} decided what each record is, removes what no record accounts
 * for: processes of starts that were in flight when the daemon died (conmon, {@code runc create}),
 * runc state that neither a record nor a directory (kept, damaged or quarantined) accounts for,
 * cgroups under the daemon's cgroup parent that none accounts for either (their processes are
 * killed first), conmon socket links of containers and execs no longer running, and the FIFOs
 * conmon leaves in the directory of a stopped container or exec. Each failure is logged and the
 * sweep goes on: the daemon must still start.
 *
 * <p>Blocking; runs once on the start-up thread. Not thread-safe.
 */
public final class OrphanSweep {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);
  private static final Path CGROUPS = Cgroups.ROOT;
  private static final Path PROC = Path.of("/proc");

  private final ContainerRuntime runtime;
  private final StateDir state;
  private final String cgroupParent;

  public OrphanSweep(ContainerRuntime runtime, StateDir state, String cgroupParent) {
    this.runtime = runtime;
    this.state = state;
    this.cgroupParent = cgroupParent;
  }

  /**
   * @param found what recovery keeps
   * @param abandoned interrupted starts, whose directories were removed: their processes are killed
   * @param quarantined ids whose directories were moved to quarantine: like every id with a
   *     directory still in the root, their runc state and cgroups are never touched
   */
  public void sweep(
      List<RecoveredContainer> found, List<String> abandoned, Set<String> quarantined) {
    Set<String> known =
        found.stream().map(RecoveredContainer::id).collect(Collectors.toCollection(HashSet::new));
    known.addAll(quarantined);
    known.addAll(directories());
    if (!abandoned.isEmpty()) {
      killShimProcesses(Set.copyOf(abandoned));
    }
    deleteUnknownRuncState(known);
    sweepCgroups(known);
    sweepSocketLinks(liveTokens(found));
    found.stream()
        .filter(r -> !r.running())
        .forEach(r -> removeFifos(r.id(), state.paths(r.id()).bundle()));
    found.forEach(this::removeExecFifos);
  }

  /**
   * Every container directory still in the root or in quarantine (named ID-NANOS), from this start
   * or an earlier one: damaged or not, its workload is not the sweep's to kill.
   */
  private Set<String> directories() {
    Set<String> ids = new HashSet<>();
    try {
      ids.addAll(state.containerIds());
    } catch (IOException e) {
      log.warn("listing container directories: {}", e.toString());
    }
    Path q = state.root().resolve("quarantine");
    if (Files.isDirectory(q)) {
      try (Stream<Path> dirs = Files.list(q)) {
        dirs.map(d -> d.getFileName().toString().replaceFirst("-\\d+$", "")).forEach(ids::add);
      } catch (IOException e) {
        log.warn("listing quarantined directories: {}", e.toString());
      }
    }
    return ids;
  }

  /** The control FIFOs and attach socket conmon leaves in the directory of a stopped exec. */
  private void removeExecFifos(RecoveredContainer r) {
    for (RecoveredExec e : r.execs()) {
      if (!e.running()) {
        removeFifos(r.id(), state.paths(r.id()).execDir(e.id()));
      }
    }
  }

  /**
   * SIGKILLs every process whose command line names this daemon's runc root and one of {@code ids}:
   * the conmon of an interrupted start (released from its start pipe by the daemon's death, it goes
   * on with runc create) and that runc create itself.
   */
  private void killShimProcesses(Set<String> ids) {
    String rootArg = state.runcRoot().toString();
    try (Stream<Path> procs = Files.list(PROC)) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        List<String> args = cmdline(p);
        boolean ours = args.stream().anyMatch(a -> a.equals(rootArg) || a.endsWith("=" + rootArg));
        if (ours && args.stream().anyMatch(ids::contains)) {
          long pid = Long.parseLong(p.getFileName().toString());
          log.warn("killing pid {} left by an interrupted start: {}", pid, args);
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException e) {
      log.warn("scanning /proc for interrupted starts: {}", e.toString());
    }
  }

  private static List<String> cmdline(Path proc) {
    try {
      String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException gone) {
      return List.of(); // exited meanwhile
    }
  }

  /**
   * runc keeps one directory per container under its root, named by the id: listing it is what
   * {@code runc list} does, without runc's per-container state checks (which cost about 3 ms a
   * container here, too slow for a start with hundreds to reattach).
   */
  private void deleteUnknownRuncState(Set<String> known) {
    try (Stream<Path> dirs = Files.list(state.runcRoot())) {
      for (String id : dirs.map(d -> d.getFileName().toString()).toList()) {
        if (!known.contains(id) && Ids.isValid(id)) {
          log.warn("container {}: runc state with no record; deleting it", id);
          deleteQuietly(id);
        }
      }
    } catch (IOException e) {
      log.warn("listing runc state: {}", e.toString());
    }
  }

  private void deleteQuietly(String id) {
    try {
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: deleting runc state with no record: {}", id, e.getMessage());
    }
  }

  private void sweepCgroups(Set<String> known) {
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      for (Path h : hierarchies.toList()) {
        Path parent = h.resolve(cgroupParent.substring(1));
        if (Files.isDirectory(parent)) {
          sweepCgroupParent(parent, known);
        }
      }
    } catch (IOException e) {
      log.warn("sweeping cgroups under {}: {}", cgroupParent, e.toString());
    }
  }

  private void sweepCgroupParent(Path parent, Set<String> known) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      // Known names first: a stat per entry would cost more than the rest of the sweep.
      for (Path c : children.filter(c -> !known.contains(c.getFileName().toString())).toList()) {
        if (Files.isDirectory(c)) {
          removeCgroup(c);
        }
      }
    }
  }

  /** Thaws, kills every process in it, then rmdirs (retrying while the kernel reaps them). */
  private static void removeCgroup(Path cg) {
    try {
      Path freezer = cg.resolve("freezer.state");
      if (Files.exists(freezer)) {
        Files.writeString(freezer, "THAWED"); // a frozen process cannot die of SIGKILL
      }
      for (String pid : Files.readAllLines(cg.resolve("cgroup.procs"))) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
      rmdirRetrying(cg);
      log.warn("cgroup {}: had no record; removed", cg);
    } catch (IOException | RuntimeException e) {
      log.warn("cgroup {}: had no record; cannot remove it: {}", cg, e.toString());
    }
  }

  private static void rmdirRetrying(Path cg) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.deleteIfExists(cg);
        return;
      } catch (IOException busy) {
        if (attempt >= 50) {
          throw busy;
        }
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() throws IOException {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** conmon leaves {@code SOCKDIR/TOKEN} behind when it exits; keep only running ones. */
  /** The socket-link names of every running container and running exec. */
  private static Set<String> liveTokens(List<RecoveredContainer> found) {
    Set<String> live = new HashSet<>();
    for (RecoveredContainer r : found) {
      if (r.running()) {
        live.add(ShimToken.of(r.id()));
        r.execs().stream()
            .filter(RecoveredExec::running)
            .forEach(e -> live.add(ShimToken.ofExec(r.id(), e.id())));
      }
    }
    return live;
  }

  private void sweepSocketLinks(Set<String> live) {
    try (Stream<Path> links = Files.list(state.socketDir())) {
      for (Path link : links.filter(l -> !live.contains(l.getFileName().toString())).toList()) {
        Files.deleteIfExists(link);
      }
    } catch (IOException e) {
      log.warn("sweeping conmon socket links: {}", e.toString());
    }
  }

  /** The control FIFOs and attach socket conmon leaves in the bundle of an exited process. */
  private static void removeFifos(String id, Path bundle) {
    for (String name : List.of("ctl", "winsz", "attach")) {
      try {
        Files.deleteIfExists(bundle.resolve(name));
      } catch (IOException e) {
        log.warn("container {}: removing {}: {}", id, name, e.toString());
      }
    }
  }
}
