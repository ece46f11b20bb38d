package dev.corral.state;

import dev.corral.core.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a root written by the v1 layout (everything under {@code --root}: {@code ROOT/runc},
 * {@code ROOT/sock}, and each container's shim record, bundle, conmon files and execs in {@code
 * ROOT/containers/ID}) to the v2 layout of {@link StateDir}, with its containers still running.
 *
 * <p>A running container's conmon was started with absolute paths into {@code ROOT/containers/ID}
 * (exit and persist dirs, log, the bundle holding its attach socket and ctl FIFO), and a socket or
 * FIFO cannot be moved to another file system at all. So nothing of a container is moved: {@code
 * STATE/containers/ID} becomes a symlink to {@code ROOT/containers/ID}, through which every path of
 * the v2 layout reaches the file the conmon uses; the container's delete removes both. runc's state
 * ({@code state.json}, which names no path of ours) is copied to {@code STATE/runc/ID}, and
 * conmon's socket links to {@code STATE/sock}. Then {@code ROOT/layout} says 2, and the old {@code
 * ROOT/runc} and {@code ROOT/sock} go.
 *
 * <p>Each step is a rename of a finished temp entry, and is skipped when its result is there, so a
 * migration interrupted by a crash is finished by the next start; the version file is written last.
 *
 * <p>Runs once, on the start-up thread, under the root lock. Not thread-safe.
 */
public final class LayoutMigration {
  private static final Logger log = LoggerFactory.getLogger(LayoutMigration.class);

  /** The layout {@link StateDir} writes. */
  public static final int VERSION = 2;

  private final Path root;
  private final Path state;

  public LayoutMigration(StateDir dirs) {
    this.root = dirs.root();
    this.state = dirs.state();
  }

  /** Migrates when needed; returns how many containers were carried over. */
  public int run() throws IOException {
    Path versionFile = root.resolve("layout");
    if (Files.exists(versionFile)) {
      String v = Files.readString(versionFile, StandardCharsets.UTF_8).strip();
      if (!v.equals(Integer.toString(VERSION))) {
        throw new IOException(versionFile + ": layout " + v + " is not one this corrald knows");
      }
      removeV1Leftovers();
      return 0;
    }
    int n = linkContainers();
    copyRuncState();
    copySocketLinks();
    AtomicFiles.write(versionFile, (VERSION + "\n").getBytes(StandardCharsets.UTF_8));
    removeV1Leftovers();
    if (n > 0) {
      log.info("root {}: migrated {} containers from layout 1 to {}", root, n, VERSION);
    }
    return n;
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

  /** Nothing uses them once the copies exist: runc and the daemon read the v2 places. */
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
