package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Errno;
import dev.corral.runtime.sys.Fds;
import java.nio.file.Path;

/**
 * conmon's control FIFO, {@code BUNDLE/ctl}: one line per command, {@code "1 H W\n"} resizes the
 * pty. Opened with O_NONBLOCK: when conmon is gone nobody reads the FIFO and a plain open would
 * block forever; O_NONBLOCK fails at once with ENXIO.
 *
 * <p>Stateless; usable from any thread.
 */
public final class ControlFifo {
  private static final int ENOENT = 2;
  private static final int ENXIO = 6;

  private ControlFifo() {}

  /** Resizes the pty of the process whose conmon was given {@code -b shimBundle}. */
  public static void resize(String what, Path shimBundle, int height, int width) {
    write(what, shimBundle.resolve("ctl"), String.format("1 %d %d%n", height, width));
  }

  private static void write(String what, Path fifo, String line) {
    int fd = Fds.tryOpenWriteNonBlocking(fifo.toString());
    if (fd == -ENXIO || fd == -ENOENT) {
      throw CorralException.failedPrecondition("%s: its shim is gone", what);
    }
    if (fd < 0) {
      throw Errno.failure(-fd, what + ": open " + fifo);
    }
    try {
      Fds.writeAll(fd, line, what + ": write " + fifo);
    } finally {
      Fds.close(fd);
    }
  }
}
