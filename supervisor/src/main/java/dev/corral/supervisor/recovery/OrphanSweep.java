package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.core.Namespaces;
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
import java.util.Optional;
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
      List<RecoveredContainer> found, List<ContainerRef> abandoned, Set<ContainerRef> quarantined) {
    Set<ContainerRef> known =
        found.stream().map(RecoveredContainer::ref).collect(Collectors.toCollection(HashSet::new));
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
        .forEach(r -> removeFifos(r.ref(), state.paths(r.ref()).bundle()));
    found.forEach(this::removeExecFifos);
  }

  /**
   * Every container directory still in the root or in quarantine ({@code NS/ID-NANOS}, or {@code
   * ID-NANOS} from before namespaces), from this start or an earlier one: damaged or not, its
   * workload is not the sweep's to kill. A name that could be either kind counts as both: keeping
   * too much is safe, sweeping too much is not.
   */
  private Set<ContainerRef> directories() {
    Set<ContainerRef> ids = new HashSet<>();
    try {
      ids.addAll(state.containerIds());
    } catch (IOException e) {
      log.warn("listing container directories: {}", e.toString());
    }
    Path q = state.root().resolve("quarantine");
    for (Path entry : list(q)) {
      String name = entry.getFileName().toString();
      quarantinedId(Namespaces.DEFAULT, name).ifPresent(ids::add);
      if (Ids.isValid(name)) {
        for (Path inner : list(entry)) {
          quarantinedId(name, inner.getFileName().toString()).ifPresent(ids::add);
        }
      }
    }
    return ids;
  }

  private static Optional<ContainerRef> quarantinedId(String ns, String dirName) {
    String id = dirName.replaceFirst("-\\d+$", "");
    return Ids.isValid(id) ? Optional.of(new ContainerRef(ns, id)) : Optional.empty();
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      log.warn("listing {}: {}", dir, e.toString());
      return List.of();
    }
  }

  /** The control FIFOs and attach socket conmon leaves in the directory of a stopped exec. */
  private void removeExecFifos(RecoveredContainer r) {
    for (RecoveredExec e : r.execs()) {
      if (!e.running()) {
        removeFifos(r.ref(), state.paths(r.ref()).execDir(e.id()));
      }
    }
  }

  /**
   * SIGKILLs every process whose command line names this daemon's runc root and one of {@code ids}:
   * the conmon of an interrupted start (released from its start pipe by the daemon's death, it goes
   * on with runc create) and that runc create itself.
   */
  private void killShimProcesses(Set<ContainerRef> ids) {
    try (Stream<Path> procs = Files.list(PROC)) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        List<String> args = cmdline(p);
        if (ids.stream().anyMatch(id -> names(args, id))) {
          long pid = Long.parseLong(p.getFileName().toString());
          log.warn("killing pid {} left by an interrupted start: {}", pid, args);
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException e) {
      log.warn("scanning /proc for interrupted starts: {}", e.toString());
    }
  }

  /** Whether a command line names the runc root of {@code id}'s namespace and its id. */
  private boolean names(List<String> args, ContainerRef id) {
    String root = state.runcRoot(id.namespace()).toString();
    // A start interrupted before the layout had namespaces used the root before it.
    String before = state.state().resolve("runc").toString();
    boolean ours =
        args.stream()
            .anyMatch(
                a ->
                    a.equals(root)
                        || a.endsWith("=" + root)
                        || id.inDefault() && (a.equals(before) || a.endsWith("=" + before)));
    return ours && args.contains(id.id());
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
  private void deleteUnknownRuncState(Set<ContainerRef> known) {
    List<String> namespaces;
    try {
      namespaces = state.runtimeNamespaces();
    } catch (IOException e) {
      log.warn("listing runc state: {}", e.toString());
      return;
    }
    for (String ns : namespaces) {
      for (Path d : list(state.runcRoot(ns))) {
        String name = d.getFileName().toString();
        if (!Ids.isValid(name)) {
          continue;
        }
        ContainerRef id = new ContainerRef(ns, name);
        if (!known.contains(id)) {
          log.warn("container {}: runc state with no record; deleting it", id);
          deleteQuietly(id);
        }
      }
    }
  }

  private void deleteQuietly(ContainerRef id) {
    try {
      runtime.delete(id, true);
    } catch (RuntimeException e) {
      log.warn("container {}: deleting runc state with no record: {}", id, e.getMessage());
    }
  }

  private void sweepCgroups(Set<ContainerRef> known) {
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

  /**
   * Under the parent: one cgroup per namespace ({@code PARENT/NS/ID}, and a pod's {@code
   * PARENT/NS/pod-UID/ID}), and those of containers from before namespaces ({@code PARENT/ID}). A
   * child that is a known container of that older kind is kept; any other is a namespace whose
   * unknown containers and pods go, and which goes too when the root has no such namespace. A pod's
   * cgroup is kept while its sandbox ({@code pod-UID}) is known, and loses its unknown containers.
   */
  private void sweepCgroupParent(Path parent, Set<ContainerRef> known) throws IOException {
    Set<String> namespaces = new HashSet<>(state.namespaces());
    known.forEach(r -> namespaces.add(r.namespace()));
    for (Path c : list(parent)) {
      String ns = c.getFileName().toString();
      if (!Ids.isValid(ns) || known.contains(ContainerRef.of(ns)) || !Files.isDirectory(c)) {
        continue;
      }
      // Known names first: a stat per entry would cost more than the rest of the sweep.
      for (Path child : list(c)) {
        String id = child.getFileName().toString();
        if (!Ids.isValid(id) || !Files.isDirectory(child)) {
          continue;
        }
        if (!known.contains(new ContainerRef(ns, id))) {
          removeCgroupTree(child);
        } else if (id.startsWith(Cgroups.POD_PREFIX)) {
          for (Path member : list(child)) {
            String m = member.getFileName().toString();
            if (Ids.isValid(m)
                && !known.contains(new ContainerRef(ns, m))
                && Files.isDirectory(member)) {
              removeCgroupTree(member);
            }
          }
        }
      }
      if (!namespaces.contains(ns)) {
        removeCgroupTree(c);
      }
    }
  }

  /** {@link #removeCgroup} of every cgroup below {@code cg}, deepest first, then of {@code cg}. */
  private static void removeCgroupTree(Path cg) {
    for (Path child : list(cg)) {
      if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        removeCgroupTree(child);
      }
    }
    removeCgroup(cg);
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
        live.add(ShimToken.of(r.ref()));
        r.execs().stream()
            .filter(RecoveredExec::running)
            .forEach(e -> live.add(ShimToken.ofExec(r.ref(), e.id())));
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
  private static void removeFifos(ContainerRef id, Path bundle) {
    for (String name : List.of("ctl", "winsz", "attach")) {
      try {
        Files.deleteIfExists(bundle.resolve(name));
      } catch (IOException e) {
        log.warn("container {}: removing {}: {}", id, name, e.toString());
      }
    }
  }
}
