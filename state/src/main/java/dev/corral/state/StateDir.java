package dev.corral.state;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The layout of the daemon's root directory, and the reads and atomic writes of each container's
 * files. The root and every directory below it are 0700.
 *
 * <pre>
 * ROOT/corrald.lock                   held by the running daemon ({@link RootLock})
 * ROOT/containers/ID/container.json   immutable metadata ({@link ContainerRecord})
 * ROOT/containers/ID/status.json      last status ({@link StatusRecord})
 * ROOT/containers/ID/shim.json        conmon pid + start time, init pid ({@link ShimRecord})
 * ROOT/containers/ID/bundle/          the daemon's copy of config.json handed to runc
 * ROOT/containers/ID/persist/         conmon's cwd and persist dir (exit, oom)
 * ROOT/containers/ID/exits/           conmon's exit dir
 * ROOT/containers/ID/execs/EXEC/      one exec: exec.json ({@link ExecRecord}), its conmon's files
 * ROOT/runc/                          runc --root
 * ROOT/sock/                          conmon --socket-dir-path
 * ROOT/events/                        the event journal ({@link EventJournal})
 * ROOT/quarantine/ID-NANOS/           container dirs found corrupt at start, moved aside
 * </pre>
 *
 * <p>Thread-safe for distinct ids; callers serialize writes to one container (the supervisor does:
 * one worker owns a container's directory while it is created or removed, and status writes go
 * through one writer thread).
 */
public final class StateDir {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private final Path root;

  private StateDir(Path root) {
    this.root = root;
  }

  /** Opens (creating when absent) the root dir and its fixed subdirectories, all 0700. */
  public static StateDir open(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    for (Path p :
        List.of(
            abs,
            abs.resolve("containers"),
            abs.resolve("runc"),
            abs.resolve("sock"),
            abs.resolve("events"))) {
      mkdirPrivate(p);
    }
    return new StateDir(abs);
  }

  public Path root() {
    return root;
  }

  public Path runcRoot() {
    return root.resolve("runc");
  }

  public Path socketDir() {
    return root.resolve("sock");
  }

  public Path eventsDir() {
    return root.resolve("events");
  }

  /** The directory of container {@code id}; the id is validated before any path is built. */
  public Path containerDir(String id) {
    return root.resolve("containers").resolve(Ids.require("id", id));
  }

  public ContainerPaths paths(String id) {
    return new ContainerPaths(containerDir(id));
  }

  /**
   * Creates the container's directory tree and writes its metadata.
   *
   * @throws CorralException already_exists when the directory is there already
   */
  public ContainerPaths create(ContainerRecord record) throws IOException {
    ContainerPaths p = paths(record.id());
    try {
      Files.createDirectory(
          p.dir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      throw CorralException.alreadyExists("container %s: state directory exists", record.id());
    }
    for (Path d : List.of(p.bundle(), p.persist(), p.exits())) {
      mkdirPrivate(d);
    }
    AtomicFiles.write(p.metadata(), GSON.toJson(record).getBytes(StandardCharsets.UTF_8));
    return p;
  }

  public void writeStatus(String id, StatusRecord status) throws IOException {
    AtomicFiles.write(paths(id).status(), GSON.toJson(status).getBytes(StandardCharsets.UTF_8));
  }

  /** Written once, after runc create and before runc start (see {@link ShimRecord}). */
  public void writeShim(String id, ShimRecord shim) throws IOException {
    AtomicFiles.write(paths(id).shim(), GSON.toJson(shim).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The shim record, or empty when none was written (the start never got past runc create).
   *
   * @throws IOException when it is there but unreadable or invalid
   */
  public Optional<ShimRecord> readShim(String id) throws IOException {
    Path file = paths(id).shim();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ShimRecord r = read(file, ShimRecord.class);
      return Optional.of(new ShimRecord(r.conmonPid(), r.conmonStartTime(), r.initPid()));
    } catch (RuntimeException e) {
      // Gson runs the record's checking constructor; a bad value surfaces as a runtime exception.
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Written by the exec's worker once it runs, and again with its exit once that is reported. */
  public void writeExec(String id, ExecRecord exec) throws IOException {
    AtomicFiles.write(
        paths(id).execRecord(exec.execId()), GSON.toJson(exec).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The exec record in {@code execs/EXEC}, or empty when none was written (the daemon died while
   * the exec was being started).
   *
   * @throws IOException when it is there but unreadable or invalid
   */
  public Optional<ExecRecord> readExec(String id, String execId) throws IOException {
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
  public List<String> execIds(String id) throws IOException {
    Path dir = paths(id).execsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(Ids::isValid).sorted().toList();
    }
  }

  /** The last status written, or empty when none was (status writes are asynchronous). */
  public Optional<StatusRecord> readStatusIfAny(String id) throws IOException {
    Path file = paths(id).status();
    return Files.exists(file) ? Optional.of(read(file, StatusRecord.class)) : Optional.empty();
  }

  /**
   * Moves the container's directory aside to {@code ROOT/quarantine/ID-NANOS}, for a human to look
   * at; returns where it went.
   */
  public Path quarantine(String id, long nanos) throws IOException {
    Path q = root.resolve("quarantine");
    mkdirPrivate(q);
    Path target = q.resolve(Ids.require("id", id) + "-" + nanos);
    Files.move(containerDir(id), target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDir(containerDir(id).getParent());
    return target;
  }

  public ContainerRecord readMetadata(String id) throws IOException {
    return read(paths(id).metadata(), ContainerRecord.class);
  }

  /**
   * Rewrites the metadata of a container whose {@code container.json} was found damaged and was
   * rebuilt at start; otherwise metadata is written once, by {@link #create}.
   */
  public void rewriteMetadata(ContainerRecord record) throws IOException {
    AtomicFiles.write(
        paths(record.id()).metadata(), GSON.toJson(record).getBytes(StandardCharsets.UTF_8));
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

  public StatusRecord readStatus(String id) throws IOException {
    return read(paths(id).status(), StatusRecord.class);
  }

  /** Ids of every container directory present (names that are not valid ids are skipped). */
  public List<String> containerIds() throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve("containers"))) {
      s.map(p -> p.getFileName().toString()).filter(Ids::isValid).sorted().forEach(ids::add);
    }
    return ids;
  }

  /**
   * Removes the container's directory and everything in it; absent is fine. A status write that
   * lands during the walk (its temporary file) is removed by walking again.
   */
  public void remove(String id) throws IOException {
    Path dir = containerDir(id);
    for (int attempt = 1; ; attempt++) {
      try {
        removeTree(dir);
        break;
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
    AtomicFiles.fsyncDir(dir.getParent());
  }

  /**
   * Removes {@code dir} and everything under it, deepest first; absent is fine. The one recursive
   * delete of the daemon (state, exec and checkpoint dirs).
   *
   * @throws IOException when something cannot be removed, or vanished during the walk
   */
  public static void removeTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
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
