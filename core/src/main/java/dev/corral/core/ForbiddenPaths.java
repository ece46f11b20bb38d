package dev.corral.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The daemon's own directories ({@code --root}, and the state dir once there is one), which no path
 * in a request may name: a rootfs there lets runc create {@code dev/ proc/ sys/} inside the
 * daemon's state, and a bundle or checkpoint there hands the daemon's own files to a container. A
 * path is refused when it is one of these directories or inside one, written directly or reaching
 * it through symlinks: the deepest part of it that exists is resolved with {@link Path#toRealPath},
 * the rest is appended lexically.
 *
 * <p>Immutable; usable from any thread. Checking does file-system I/O (stat and readlink), so it
 * belongs on a request thread or a worker, never on the loop.
 */
public final class ForbiddenPaths {
  private final List<Path> dirs;

  /**
   * @param daemonDirs the daemon-owned directories, absolute; each is kept both as given and, when
   *     it exists, as its real path, so a root reached through a symlink is still recognised
   */
  public ForbiddenPaths(List<Path> daemonDirs) {
    Set<Path> all = new LinkedHashSet<>();
    for (Path d : daemonDirs) {
      Path abs = d.toAbsolutePath().normalize();
      all.add(abs);
      all.add(realOrSelf(abs));
    }
    this.dirs = List.copyOf(all);
  }

  /** The directories refused, as given and resolved. */
  public List<Path> dirs() {
    return dirs;
  }

  /**
   * Returns {@code path} unless it is, or resolves into, a daemon directory; null passes.
   *
   * @param field the request field the path came from, named in the error
   * @throws CorralException invalid_argument naming {@code field}, the path and the directory
   */
  public Path check(String field, Path path) {
    if (path == null) {
      return null;
    }
    Path abs = path.toAbsolutePath();
    for (Path candidate : List.of(abs.normalize(), resolved(abs))) {
      for (Path dir : dirs) {
        if (candidate.startsWith(dir)) {
          throw CorralException.invalidArgument(
              "%s: %s is inside the daemon's own directory %s; use a path outside it",
              field, path, dir);
        }
      }
    }
    return path;
  }

  /**
   * The path the kernel would reach: the deepest existing ancestor resolved through its symlinks,
   * then the components that do not exist yet (which cannot be symlinks) appended.
   */
  static Path resolved(Path abs) {
    Path existing = abs;
    List<Path> missing = new ArrayList<>();
    while (existing != null && !Files.exists(existing)) {
      missing.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs.normalize();
    }
    Path out = realOrSelf(existing);
    for (Path name : missing) {
      out = out.resolve(name);
    }
    return out.normalize();
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.normalize();
    }
  }
}
