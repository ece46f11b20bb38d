package dev.corral.core;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * The one place that tells a full disk from other I/O failures. Java has no errno on an
 * IOException: a write that hits ENOSPC says {@code "No space left on device"} (EDQUOT: {@code
 * "Disk quota exceeded"}), with the path in front when the JDK knew it ({@link
 * FileSystemException}) or, in corral's own writers, because they put it there.
 *
 * <p>Stateless; usable from any thread.
 */
public final class DiskFull {
  private static final String ENOSPC = "No space left on device";
  private static final String EDQUOT = "Disk quota exceeded";

  private DiskFull() {}

  /**
   * Whether a tool's error text (runc's, in Go's wording: "no space left on device") says the disk
   * is full.
   */
  public static boolean said(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    return t.contains(ENOSPC.toLowerCase(java.util.Locale.ROOT))
        || t.contains(EDQUOT.toLowerCase(java.util.Locale.ROOT));
  }

  /** Whether {@code t} or one of its causes is an IOException for a full disk. */
  public static boolean is(Throwable t) {
    return find(t) != null;
  }

  /**
   * {@code "<path>: no space left on device (ENOSPC)"} when {@code t} is a full disk, the path
   * being what the failing IOException named (omitted when it named none); null otherwise.
   */
  public static String describe(Throwable t) {
    IOException io = find(t);
    if (io == null) {
      return null;
    }
    String what =
        io.getMessage().contains(EDQUOT)
            ? "disk quota exceeded (EDQUOT)"
            : "no space left on device (ENOSPC)";
    String path = path(io);
    return path == null ? what : path + ": " + what;
  }

  private static String path(IOException io) {
    if (io instanceof FileSystemException fs && fs.getFile() != null) {
      return fs.getFile();
    }
    String m = io.getMessage();
    int at = m.indexOf(": ");
    return at > 0 && m.startsWith("/") ? m.substring(0, at) : null;
  }

  private static IOException find(Throwable t) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof IOException io && io.getMessage() != null && full(io.getMessage())) {
        return io;
      }
    }
    return null;
  }

  private static boolean full(String message) {
    return message.contains(ENOSPC) || message.contains(EDQUOT);
  }
}
