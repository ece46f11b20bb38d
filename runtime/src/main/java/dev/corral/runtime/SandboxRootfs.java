package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The root filesystem every pod sandbox shares: a directory under the daemon's state dir holding
 * only the static catatonit binary at {@code /catatonit} (mode 0755) and the empty mount points
 * runc mounts over ({@code /proc}, {@code /dev}, {@code /sys}). The mount points are made here so
 * that runc never has to create them in the shared directory, which lets the sandbox spec keep its
 * root read-only ({@link PodSpecs#sandbox}).
 *
 * <p>catatonit must be static (Debian's is): the directory has no libc for a dynamic one, and runc
 * would then fail the sandbox's start with "no such file or directory".
 *
 * <p>Stateless; usable from any thread. Two callers (or daemons) ensuring the same directory at
 * once both succeed: the directory appears whole by one rename, and the binary is only ever
 * replaced by a rename, never written in place (a running sandbox keeps the file it started).
 */
public final class SandboxRootfs {
  /** Where catatonit is inside the sandbox's root, the {@code process.args[0]} of its spec. */
  public static final String CATATONIT = "/catatonit";

  static final List<String> MOUNT_POINTS = List.of("proc", "dev", "sys");
  private static final Set<PosixFilePermission> RWXR_XR_X =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private SandboxRootfs() {}

  /**
   * Makes {@code dir} the sandbox root unless it already is one: creates it whole when missing,
   * replaces its catatonit when it differs from {@code catatonitBinary} (a package upgrade), and
   * adds any missing mount point.
   *
   * @return {@code dir}
   * @throws CorralException failed_precondition when {@code catatonitBinary} is not an executable
   *     file; internal when the directory cannot be written
   */
  public static Path ensure(Path dir, Path catatonitBinary) {
    if (!Files.isRegularFile(catatonitBinary) || !Files.isExecutable(catatonitBinary)) {
      throw CorralException.failedPrecondition(
          "catatonit: %s is not an executable file; install the Debian package catatonit",
          catatonitBinary);
    }
    try {
      if (!Files.isDirectory(dir)) {
        create(dir, catatonitBinary);
      }
      Path binary = dir.resolve(CATATONIT.substring(1));
      if (!Files.isRegularFile(binary) || Files.mismatch(binary, catatonitBinary) != -1) {
        Path tmp = Files.createTempFile(dir, ".catatonit", ".tmp");
        try {
          copyExecutable(catatonitBinary, tmp);
          Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      for (String m : MOUNT_POINTS) {
        Files.createDirectories(dir.resolve(m));
      }
      return dir;
    } catch (IOException e) {
      throw CorralException.internal(e, "sandbox rootfs %s: %s", dir, e);
    }
  }

  /** Builds the whole directory beside {@code dir} and renames it into place. */
  private static void create(Path dir, Path catatonitBinary) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
    try {
      Files.setPosixFilePermissions(tmp, RWXR_XR_X);
      copyExecutable(catatonitBinary, tmp.resolve(CATATONIT.substring(1)));
      for (String m : MOUNT_POINTS) {
        Files.createDirectory(tmp.resolve(m));
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      // another caller renamed its copy into place first (rename(2) fails with ENOTEMPTY): theirs
      // is as good as ours, and the checks after this one look at it
    } finally {
      deleteTree(tmp);
    }
  }

  private static void copyExecutable(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(to, RWXR_XR_X);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
