package dev.corral.state;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The layout of the daemon's two directories, and the reads and atomic writes of each container's
 * files. {@code --root} keeps what must survive a reboot, {@code --state} (a tmpfs) what describes
 * live processes, as containerd's root and state do. Every directory is 0700.
 *
 * <pre>
 * ROOT/corrald.lock                   held by the running daemon ({@link RootLock})
 * ROOT/layout                         the layout version, 3 ({@link LayoutMigration})
 * ROOT/namespaces/NS/                 one namespace; C below is ROOT/namespaces/NS/containers/ID
 * C/container.json                    immutable metadata ({@link ContainerRecord})
 * C/status.json                       last status ({@link StatusRecord})
 * C/container.log                     the init's log; execs/EXEC/exec.log, each exec's
 * C/checkpoints/                      CRIU images
 * ROOT/events/                        the event journal ({@link EventJournal})
 * ROOT/quarantine/NS/ID-NANOS/        container dirs found corrupt at start, moved aside
 * ROOT/trash/                         deleted containers' dirs, removed behind the reply
 * STATE/namespaces/NS/runc/           runc --root of the namespace
 * STATE/namespaces/NS/containers/ID/  R below
 * R/shim.json                         conmon pid + start time, init pid ({@link ShimRecord})
 * R/bundle/                           the daemon's copy of config.json handed to runc
 * R/persist/                          conmon's cwd and persist dir (exit, oom)
 * R/exits/                            conmon's exit dir
 * R/execs/EXEC/                       one exec: exec.json ({@link ExecRecord}), its conmon's files
 * STATE/sock/                         conmon --socket-dir-path (names are digests)
 * STATE/tmp/                          the daemon's temp files (runc's logs); emptied at start
 * STATE/trash/                        deleted containers' runtime state, removed behind the reply
 * </pre>
 *
 * <p>A container of a root migrated from the v1 layout (everything under ROOT) has a symlink {@code
 * STATE/containers/ID -> ROOT/containers/ID} instead of a directory, because its conmon writes to
 * the paths it was started with; the delete of the container ends it. A root migrated from layout 2
 * keeps the links {@code containers -> namespaces/default/containers} (both sides) and {@code
 * STATE/runc -> namespaces/default/runc} for the same reason.
 *
 * <p>Thread-safe for distinct ids; callers serialize writes to one container (the supervisor does:
 * one worker owns a container's directory while it is created or removed, and status writes go
 * through one writer thread).
 */
public final class StateDir {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final String CONTAINERS = "containers";
  private static final String NAMESPACES = "namespaces";
  private static final String TRASH = "trash";
  private final Path root;
  private final Path state;

  /** Where a deleted container's directories went; see {@link #moveToTrash}. */
  public record Trash(Path rootEntry, Path stateEntry, Path runcRoot) {}

  private StateDir(Path root, Path state) {
    this.root = root;
    this.state = state;
  }

  /** Both halves in one tree: {@code --state} is {@code ROOT/run}. For tests and tools. */
  public static StateDir open(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    return open(abs, abs.resolve("run"));
  }

  /** Opens (creating when absent) both dirs and their fixed subdirectories, all 0700. */
  public static StateDir open(Path root, Path state) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    Path s = state.toAbsolutePath().normalize();
    for (Path p : List.of(r, r.resolve(NAMESPACES), r.resolve("events"), r.resolve(TRASH))) {
      mkdirPrivate(p);
    }
    for (String sub : List.of(NAMESPACES, "sock", "tmp", TRASH)) {
      mkdirPrivate(s.resolve(sub));
    }
    return new StateDir(r, s);
  }

  public Path root() {
    return root;
  }

  /** The {@code --state} dir. */
  public Path state() {
    return state;
  }

  /** runc's {@code --root} for the containers of namespace {@code ns}. */
  public Path runcRoot(String ns) {
    return namespaceRunDir(ns).resolve("runc");
  }

  private Path namespaceDir(String ns) {
    return root.resolve(NAMESPACES).resolve(Ids.require("namespace", ns));
  }

  private Path namespaceRunDir(String ns) {
    return state.resolve(NAMESPACES).resolve(Ids.require("namespace", ns));
  }

  public Path socketDir() {
    return state.resolve("sock");
  }

  /**
   * The root filesystem every pod's sandbox runs from: the static {@code catatonit} alone, made at
   * each start (a reboot empties {@code --state}).
   */
  public Path sandboxRootfs() {
    return state.resolve("pod-rootfs");
  }

  /** Where the daemon's temp files go; emptied at every start ({@link #sweepLeftovers}). */
  public Path tmpDir() {
    return state.resolve("tmp");
  }

  public Path eventsDir() {
    return root.resolve("events");
  }

  /** The persistent directory of a container; its names were validated when the ref was made. */
  public Path containerDir(ContainerRef id) {
    return namespaceDir(id.namespace()).resolve(CONTAINERS).resolve(id.id());
  }

  /** The runtime directory of a container, in {@code --state}. */
  public Path runDir(ContainerRef id) {
    return namespaceRunDir(id.namespace()).resolve(CONTAINERS).resolve(id.id());
  }

  public ContainerPaths paths(ContainerRef id) {
    return new ContainerPaths(containerDir(id), runDir(id));
  }

  /**
   * Whether the runtime half of a container is there. It is missing after a reboot emptied {@code
   * --state}: everything the container was is gone with it.
   */
  public boolean hasRuntimeState(ContainerRef id) {
    return Files.exists(runDir(id));
  }

  /**
   * Creates the container's directories and writes its metadata. The runtime dir comes first, so a
   * crash in between leaves a runtime dir with no record, which the next start sweeps, and never a
   * record whose runtime state looks lost to a reboot.
   *
   * @throws CorralException already_exists when a directory is there already
   */
  public ContainerPaths create(ContainerRecord record) throws IOException {
    ContainerRef ref = record.ref();
    ContainerPaths p = paths(ref);
    mkdirPrivate(p.run().getParent());
    mkdirPrivate(p.dir().getParent());
    mkdirPrivate(runcRoot(ref.namespace()));
    mkdirExclusive(ref, p.run());
    try {
      mkdirExclusive(ref, p.dir());
    } catch (CorralException e) {
      removeTree(p.run());
      throw e;
    }
    for (Path d : List.of(p.bundle(), p.persist(), p.exits())) {
      mkdirPrivate(d);
    }
    // fsync'ed: after a power loss right after the 201 the record must be whole, or the container
    // the client was told about would be quarantined instead of reported as ended by the reboot.
    AtomicFiles.write(p.metadata(), GSON.toJson(record).getBytes(StandardCharsets.UTF_8));
    return p;
  }

  /**
   * Makes the runtime directory of a container whose {@code --state} half a reboot emptied, and
   * puts its saved spec back in its bundle, so it can run again; a no-op while the bundle is there.
   *
   * @throws IOException when there is no saved spec either (a container from before it was kept)
   */
  public void restoreRuntimeDir(ContainerRef id) throws IOException {
    ContainerPaths p = paths(id);
    if (Files.exists(p.run(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path config = p.bundle().resolve("config.json");
    if (!Files.exists(p.savedSpec())) {
      throw new NoSuchFileException(
          p.savedSpec().toString(), null, "no saved spec to run it again after a reboot");
    }
    mkdirPrivate(runcRoot(id.namespace()));
    for (Path d : List.of(p.run(), p.bundle(), p.persist(), p.exits())) {
      mkdirPrivate(d);
    }
    // In the tmpfs, like every file there: no fsync.
    AtomicFiles.replace(config, Files.readAllBytes(p.savedSpec()));
  }

  private static void mkdirExclusive(ContainerRef id, Path dir) throws IOException {
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      throw CorralException.alreadyExists("container %s: state directory exists", id);
    }
  }

  /**
   * fsync'ed, on the status writer's thread (not on a request's path): after a power loss the last
   * exit must be there, or a container whose exit was reported before the crash would be reported
   * again, as ended by the reboot, with another code.
   */
  public void writeStatus(ContainerRef id, StatusRecord status) throws IOException {
    AtomicFiles.write(paths(id).status(), GSON.toJson(status).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Written once, after runc create and before runc start (see {@link ShimRecord}). In the tmpfs:
   * no fsync, since a crash that could lose it (the host's) also ends the shim it names.
   */
  public void writeShim(ContainerRef id, ShimRecord shim) throws IOException {
    AtomicFiles.replace(paths(id).shim(), GSON.toJson(shim).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The shim record, or empty when none was written (the start never got past runc create).
   *
   * @throws IOException when it is there but unreadable or invalid
   */
  public Optional<ShimRecord> readShim(ContainerRef id) throws IOException {
    Path file = paths(id).shim();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ShimRecord r = read(file, ShimRecord.class);
      return Optional.of(
          new ShimRecord(r.conmonPid(), r.conmonStartTime(), r.initPid(), r.initStartTime()));
    } catch (RuntimeException e) {
      // Gson runs the record's checking constructor; a bad value surfaces as a runtime exception.
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Written by the exec's worker once it runs, and again with its exit once that is reported. */
  public void writeExec(ContainerRef id, ExecRecord exec) throws IOException {
    // In the tmpfs, like the shim record: no fsync (see writeShim).
    AtomicFiles.replace(
        paths(id).execRecord(exec.execId()), GSON.toJson(exec).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The exec record in {@code execs/EXEC}, or empty when none was written (the daemon died while
   * the exec was being started).
   *
   * @throws IOException when it is there but unreadable or invalid
   */
  public Optional<ExecRecord> readExec(ContainerRef id, String execId) throws IOException {
    Path file = paths(id).execRecord(Ids.require("process id", execId));
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ExecRecord r = read(file, ExecRecord.class);
      if (!execId.equals(r.execId())) {
        throw new IOException(file + ": names exec " + r.execId());
      }
      return Optional.of(r);
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Names of the exec directories of container {@code id} (names that are not ids skipped). */
  public List<String> execIds(ContainerRef id) throws IOException {
    Path dir = paths(id).execsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(Ids::isValid).sorted().toList();
    }
  }

  /** The last status written, or empty when none was (status writes are asynchronous). */
  public Optional<StatusRecord> readStatusIfAny(ContainerRef id) throws IOException {
    Path file = paths(id).status();
    return Files.exists(file) ? Optional.of(read(file, StatusRecord.class)) : Optional.empty();
  }

  /**
   * Moves the container's persistent directory aside to {@code ROOT/quarantine/ID-NANOS}, for a
   * human to look at, and removes its runtime dir; returns where the first went.
   */
  public Path quarantine(ContainerRef id, long nanos) throws IOException {
    Path q = root.resolve("quarantine").resolve(id.namespace());
    mkdirPrivate(q.getParent());
    mkdirPrivate(q);
    Path target = q.resolve(id.id() + "-" + nanos);
    Files.move(containerDir(id), target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(containerDir(id).getParent());
    removeTree(runDir(id));
    return target;
  }

  public ContainerRecord readMetadata(ContainerRef id) throws IOException {
    return read(paths(id).metadata(), ContainerRecord.class);
  }

  /**
   * Rewrites the metadata of a container whose {@code container.json} was found damaged and was
   * rebuilt at start; otherwise metadata is written once, by {@link #create}.
   */
  public void rewriteMetadata(ContainerRecord record) throws IOException {
    AtomicFiles.write(
        paths(record.ref()).metadata(), GSON.toJson(record).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Renames a damaged file of a container to {@code NAME.damaged-NANOS} beside it, kept for a human
   * to look at; absent is fine. Returns the new name, or empty when there was nothing to move.
   */
  public Optional<Path> setAside(Path file, long nanos) throws IOException {
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Path target = file.resolveSibling(file.getFileName() + ".damaged-" + nanos);
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(file.getParent());
    return Optional.of(target);
  }

  public StatusRecord readStatus(ContainerRef id) throws IOException {
    return read(paths(id).status(), StatusRecord.class);
  }

  /** Names of the namespaces with a directory in the root, sorted. */
  public List<String> namespaces() throws IOException {
    return validNames(root.resolve(NAMESPACES));
  }

  /** Names of the namespaces with a directory in {@code --state}, sorted. */
  public List<String> runtimeNamespaces() throws IOException {
    return validNames(state.resolve(NAMESPACES));
  }

  /** Every container directory present, by namespace (names that are not ids are skipped). */
  public List<ContainerRef> containerIds() throws IOException {
    return refs(namespaces(), this::namespaceDir);
  }

  /** Ids in {@code STATE/namespaces/NS/containers} (a sweep removes those with no record). */
  public List<ContainerRef> runtimeIds() throws IOException {
    return refs(runtimeNamespaces(), this::namespaceRunDir);
  }

  private static List<ContainerRef> refs(List<String> namespaces, Function<String, Path> dirOf)
      throws IOException {
    List<ContainerRef> refs = new ArrayList<>();
    for (String ns : namespaces) {
      for (String id : validNames(dirOf.apply(ns).resolve(CONTAINERS))) {
        refs.add(new ContainerRef(ns, id));
      }
    }
    return refs;
  }

  private static List<String> validNames(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(Ids::isValid).sorted().toList();
    }
  }

  /**
   * Removes the directories of an empty namespace on both sides; absent is fine.
   *
   * @throws DirectoryNotEmptyException when something of a container is still there
   */
  public void removeNamespace(String ns) throws IOException {
    for (Path d :
        List.of(
            runcRoot(ns),
            namespaceRunDir(ns).resolve(CONTAINERS),
            namespaceRunDir(ns),
            namespaceDir(ns).resolve(CONTAINERS),
            namespaceDir(ns))) {
      Files.deleteIfExists(d);
    }
    // Without it a crash of the host could bring back a namespace whose delete was answered.
    AtomicFiles.fsyncDir(root.resolve(NAMESPACES));
  }

  /**
   * Removes both of the container's directories and everything in them; absent is fine. A status
   * write that lands during the walk (its temporary file) is removed by walking again.
   */
  public void remove(ContainerRef id) throws IOException {
    removeRetrying(runDir(id));
    Path dir = containerDir(id);
    removeRetrying(dir);
    // Without it a crash of the host could bring back a container whose delete was answered.
    AtomicFiles.fsyncDir(dir.getParent());
  }

  private static void removeRetrying(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        removeTree(dir);
        return;
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Renames the container's directories, and runc's state dir of it, into the trash, so the id is
   * free at once and the slow removal ({@code runc delete}, the trees) can run behind the reply.
   * Each step is one rename: after a crash, what is in the trash is swept at the next start, and
   * what is not is still the container's.
   */
  public Trash moveToTrash(ContainerRef id) throws IOException {
    String name = id.namespace() + "_" + id.id() + "-" + System.nanoTime();
    Path stateEntry = state.resolve(TRASH).resolve(name);
    Path runc = stateEntry.resolve("runc");
    mkdirPrivate(runc);
    moveIfExists(runcRoot(id.namespace()).resolve(id.id()), runc.resolve(id.id()));
    moveIfExists(runDir(id), stateEntry.resolve("run"));
    Path rootEntry = root.resolve(TRASH).resolve(name);
    Files.move(containerDir(id), rootEntry, StandardCopyOption.ATOMIC_MOVE);
    // Without it a crash of the host could bring back a container whose delete was answered.
    AtomicFiles.fsyncDir(containerDir(id).getParent());
    return new Trash(rootEntry, stateEntry, runc);
  }

  private static void moveIfExists(Path from, Path to) throws IOException {
    if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Removes what {@link #moveToTrash} moved. */
  public static void empty(Trash t) throws IOException {
    removeTree(t.stateEntry());
    removeTree(t.rootEntry());
  }

  /**
   * Empties the trash of both dirs and the temp dir (what deletes that a crash interrupted, and
   * temp files of an earlier daemon, left), and removes runtime dirs with no record in the root (a
   * create that a crash stopped before its metadata, which comes before conmon ever runs). Returns
   * how many entries went.
   */
  public int sweepLeftovers() throws IOException {
    int n = 0;
    for (ContainerRef id : runtimeIds()) {
      if (!Files.exists(containerDir(id), LinkOption.NOFOLLOW_LINKS)) {
        removeTree(runDir(id));
        n++;
      }
    }
    for (Path dir : List.of(root.resolve(TRASH), state.resolve(TRASH), tmpDir())) {
      List<Path> entries;
      try (Stream<Path> s = Files.list(dir)) {
        entries = s.toList();
      }
      for (Path e : entries) {
        removeTree(e);
        n++;
      }
    }
    return n;
  }

  /**
   * Removes {@code dir} and everything under it, deepest first; absent is fine. The one recursive
   * delete of the daemon (state, exec and checkpoint dirs).
   *
   * @throws IOException when something cannot be removed, or vanished during the walk
   */
  public static void removeTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> deepestFirst;
    try (Stream<Path> walk = Files.walk(dir)) {
      deepestFirst = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause(); // a file vanished during the walk
    }
    for (Path p : deepestFirst) {
      Files.deleteIfExists(p);
    }
  }

  private static <T> T read(Path file, Class<T> type) throws IOException {
    try {
      T value = GSON.fromJson(Files.readString(file), type);
      if (value == null) {
        throw new IOException(file + ": empty");
      }
      return value;
    } catch (JsonParseException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void mkdirPrivate(Path p) throws IOException {
    Files.createDirectories(p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
  }
}
