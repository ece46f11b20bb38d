package dev.corral.runtime.sys;

import dev.corral.core.CorralException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * What is mounted where, and a tmpfs mounted for {@code --state}: the file system of a path is read
 * from {@code /proc/self/mountinfo} (the mount whose mount point is the longest prefix of the
 * path's real path), and a tmpfs is mounted with mount(2).
 *
 * <p>Stateless; any thread.
 */
public final class Mounts {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Lib {
    @SaveError
    int mount(@In String source, @In String target, @In String type, long flags, @In String data);
  }

  private static final Lib LIB = Libc.bind(Lib.class);
  private static final long MS_NOSUID = 2;
  private static final long MS_NODEV = 4;
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Mounts() {}

  /**
   * The file system type of the mount {@code dir} lies on, e.g. {@code tmpfs} or {@code ext4}.
   *
   * @throws IOException when {@code dir} does not exist or the mount table cannot be read
   */
  public static String fsType(Path dir) throws IOException {
    Path real = dir.toRealPath();
    return fsType(real, Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8));
  }

  /** As {@link #fsType(Path)}, from the lines of a mountinfo file; the last mount wins a tie. */
  static String fsType(Path real, List<String> mountinfo) {
    String best = null;
    int bestLength = -1;
    for (String line : mountinfo) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
        continue;
      }
      Path point = Path.of(unescape(f[4]));
      int length = point.getNameCount();
      if (real.startsWith(point) && length >= bestLength) {
        best = f[dash + 1];
        bestLength = length;
      }
    }
    return best == null ? "unknown" : best;
  }

  /** mountinfo writes a space, tab, newline and backslash in a path as octal escapes. */
  static String unescape(String field) {
    return field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }

  /**
   * Returns {@code size} when tmpfs's {@code size=} takes it: digits with an optional k, m, g or %.
   *
   * @throws CorralException invalid_argument naming the value
   */
  public static String requireSize(String size) {
    if (size == null || !size.matches("\\d{1,12}[kmg%]?")) {
      throw CorralException.invalidArgument("--state-size: %s is not a size like 256m", size);
    }
    return size;
  }

  /**
   * Mounts a fresh tmpfs on {@code dir} (nosuid, nodev), 0700, at most {@code size} big ({@code
   * 256m}, as tmpfs's {@code size=} takes it).
   *
   * @throws CorralException internal, naming the errno, when mount(2) fails
   */
  public static void mountTmpfs(Path dir, String size) {
    requireSize(size);
    String data = "mode=0700,size=" + size;
    int rc = LIB.mount("corral-state", dir.toString(), "tmpfs", MS_NOSUID | MS_NODEV, data);
    if (rc != 0) {
      throw Errno.failure(Errno.last(), "mount tmpfs on " + dir);
    }
  }
}
