package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the external binaries corral runs (runc, conmon, busybox, criu) so that the daemon can
 * refuse to start, naming what is missing and the Debian package that provides it, instead of
 * failing on the first container.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Binaries {
  private static final Map<String, String> PACKAGES = Map.of("busybox", "busybox-static");

  /** Searched after PATH: a daemon started by a service manager may have a short PATH. */
  private static final List<String> SYSTEM_DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Binaries() {}

  /**
   * Resolves {@code name}: {@code configured} when given, else the first match on PATH and then the
   * usual system directories.
   *
   * @return the absolute path of an executable regular file
   * @throws CorralException failed_precondition naming the binary and its Debian package
   */
  public static Path require(String name, Path configured) {
    return require(name, configured, System.getenv("PATH"));
  }

  static Path require(String name, Path configured, String pathVariable) {
    Optional<Path> found =
        configured != null
            ? Optional.of(configured).filter(Binaries::isExecutableFile)
            : search(name, pathVariable);
    return found
        .map(Path::toAbsolutePath)
        .orElseThrow(
            () ->
                CorralException.failedPrecondition(
                    "%s not found: %s; install the Debian package %s",
                    name, where(configured), PACKAGES.getOrDefault(name, name)));
  }

  private static Optional<Path> search(String name, String pathVariable) {
    List<String> dirs = new ArrayList<>();
    if (pathVariable != null) {
      dirs.addAll(List.of(pathVariable.split(File.pathSeparator)));
    }
    dirs.addAll(SYSTEM_DIRS);
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Binaries::isExecutableFile)
        .findFirst();
  }

  private static boolean isExecutableFile(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static String where(Path configured) {
    return configured != null
        ? configured + " is not an executable file"
        : "not on PATH nor in " + String.join(":", SYSTEM_DIRS);
  }
}
