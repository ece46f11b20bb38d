package dev.corral.state;

import dev.corral.core.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a root written by an older layout to the current one ({@link StateDir}), with its
 * containers still running. A running container's conmon was started with absolute paths into the
 * daemon's dirs (exit and persist dirs, log, the bundle holding its attach socket and ctl FIFO), so
 * every step keeps those paths resolving.
 *
 * <p><b>1 to 2</b> (v1: everything under {@code --root}: {@code ROOT/runc}, {@code ROOT/sock}, and
 * each container's shim record, bundle, conmon files and execs in {@code ROOT/containers/ID}). A
 * socket or FIFO cannot be moved to another file system at all, so nothing of a container is moved:
 * {@code STATE/containers/ID} becomes a symlink to {@code ROOT/containers/ID}, through which every
 * path of the later layouts reaches the file the conmon uses; the container's delete removes both.
 * runc's state ({@code state.json}, which names no path of ours) is copied to {@code
 * STATE/runc/ID}, and conmon's socket links to {@code STATE/sock}. Then {@code ROOT/layout} says 2,
 * and the old {@code ROOT/runc} and {@code ROOT/sock} go.
 *
 * <p><b>2 to 3</b> (namespaces). Everything of a container hangs under {@code containers/} (both
 * sides) and {@code runc/} (state side), so each of those whole directories is renamed into {@code
 * namespaces/default/}, and a relative symlink is left where it was ({@code containers ->
 * namespaces/default/containers}, {@code runc -> namespaces/default/runc}) so the absolute paths
 * live conmons hold still resolve. A per-namespace level above {@code containers} (rather than
 * {@code containers/NS/ID}) is what makes this one rename: under {@code containers/NS/ID} an old
 * container whose id is {@code default}, or is later used as a namespace name, would collide with a
 * namespace directory.
 *
 * <p>Each step is one rename or link, recognised as done by the names present, so a migration
 * interrupted by a crash is finished by the next start; the version file is written last.
 *
 * <p>Runs once, on the start-up thread, under the root lock. Not thread-safe.
 */
public final class LayoutMigration {
  private static final Logger log = LoggerFactory.getLogger(LayoutMigration.class);

  /** The layout {@link StateDir} writes. */
  public static final int VERSION = 3;

  private static final String CONTAINERS = "containers";
  private static final String DEFAULT_NAMESPACE = "namespaces/default";

  private final Path root;
  private final Path state;

  public LayoutMigration(StateDir dirs) {
    this.root = dirs.root();
    this.state = dirs.state();
  }

  /** Migrates when needed; returns how many containers were carried over. */
  public int run() throws IOException {
    Path versionFile = root.resolve("layout");
    int from = version(versionFile);
    int n = 0;
    if (from == 1) {
      Files.createDirectories(state.resolve(CONTAINERS));
      Files.createDirectories(state.resolve("runc"));
      n = linkContainers();
      copyRuncState();
      copySocketLinks();
      AtomicFiles.write(versionFile, "2\n".getBytes(StandardCharsets.UTF_8));
      from = 2;
    }
    removeV1Leftovers();
    if (from == 2) {
      intoDefaultNamespace(root, List.of(CONTAINERS));
      intoDefaultNamespace(state, List.of(CONTAINERS, "runc"));
      n = Math.max(n, list(root.resolve(DEFAULT_NAMESPACE).resolve(CONTAINERS)).size());
    }
    if (from != VERSION) {
      AtomicFiles.write(versionFile, (VERSION + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (n > 0) {
      log.info("root {}: migrated {} containers to layout {}", root, n, VERSION);
    }
    return n;
  }

  /** The root's layout: its version file, else 1 when it holds containers, else 0 (a new root). */
  private int version(Path versionFile) throws IOException {
    if (!Files.exists(versionFile)) {
      return Files.isDirectory(root.resolve(CONTAINERS)) ? 1 : 0;
    }
    String v = Files.readString(versionFile, StandardCharsets.UTF_8).strip();
    if (!v.equals("2") && !v.equals(Integer.toString(VERSION))) {
      throw new IOException(versionFile + ": layout " + v + " is not one this corrald knows");
    }
    return Integer.parseInt(v);
  }

  /**
   * Renames each of {@code names} under {@code base} into {@code base/namespaces/default/} and
   * leaves a relative symlink in its place. A name already a symlink is done; a name gone whose
   * target is there gets its link (a crash came between the two).
   */
  private static void intoDefaultNamespace(Path base, List<String> names) throws IOException {
    Path ns = base.resolve(DEFAULT_NAMESPACE);
    Files.createDirectories(ns);
    Files.setPosixFilePermissions(ns, PosixFilePermissions.fromString("rwx------"));
    for (String name : names) {
      Path old = base.resolve(name);
      Path moved = ns.resolve(name);
      if (Files.isSymbolicLink(old)) {
        continue;
      }
      if (Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(moved, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(old + " and " + moved + " both exist; one must be moved by hand");
        }
        Files.move(old, moved, StandardCopyOption.ATOMIC_MOVE);
      }
      if (Files.exists(moved, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(old, Path.of(DEFAULT_NAMESPACE, name));
      }
    }
    AtomicFiles.fsyncDir(base);
  }

  /** A symlink for every v1 container dir (one with a shim record, bundle or conmon files). */
  private int linkContainers() throws IOException {
    int n = 0;
    for (Path dir : list(root.resolve("containers"))) {
      String id = dir.getFileName().toString();
      Path run = state.resolve("containers").resolve(id);
      if (!Ids.isValid(id) || !isV1(dir) || Files.exists(run, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path tmp = state.resolve("containers").resolve("." + id + ".v1");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, dir);
      Files.move(tmp, run, StandardCopyOption.ATOMIC_MOVE);
      n++;
    }
    return n;
  }

  private static boolean isV1(Path dir) {
    return Stream.of("shim.json", "bundle", "persist", "exits")
        .anyMatch(f -> Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS));
  }

  private void copyRuncState() throws IOException {
    for (Path dir : list(root.resolve("runc"))) {
      String id = dir.getFileName().toString();
      Path target = state.resolve("runc").resolve(id);
      Path stateJson = dir.resolve("state.json");
      if (!Ids.isValid(id) || Files.exists(target) || !Files.isRegularFile(stateJson)) {
        continue;
      }
      Path tmp = state.resolve("runc").resolve("." + id + ".v1");
      StateDir.removeTree(tmp);
      Files.createDirectory(tmp);
      Files.copy(stateJson, tmp.resolve("state.json"), StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private void copySocketLinks() throws IOException {
    for (Path link : list(root.resolve("sock"))) {
      Path target = state.resolve("sock").resolve(link.getFileName().toString());
      if (!Files.isSymbolicLink(link) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path tmp = state.resolve("sock").resolve("." + link.getFileName() + ".v1");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Files.readSymbolicLink(link));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Nothing uses them once the copies exist: runc and the daemon read the later places. */
  private void removeV1Leftovers() throws IOException {
    StateDir.removeTree(root.resolve("runc"));
    StateDir.removeTree(root.resolve("sock"));
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
