package dev.corral.runtime;

import dev.corral.core.CorralException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * conmon's control FIFO, {@code BUNDLE/ctl}: one line per command, {@code "1 H W\n"} resizes the
 * pty (docs/runtime-notes.md, "Logs, attach"). Opened with O_NONBLOCK: when conmon is gone nobody
 * reads the FIFO and a plain open would block forever; O_NONBLOCK fails at once with ENXIO.
 *
 * <p>Stateless; usable from any thread.
 */
public final class ControlFifo {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Native {
    @SaveError
    int open(@In String path, int flags);

    @SaveError
    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long count);

    @SaveError
    int close(int fd);
  }

  private static final Native NATIVE = LibraryLoader.create(Native.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(NATIVE);
  private static final int O_WRONLY = 1;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;
  private static final int ENXIO = 6;
  private static final int ENOENT = 2;

  private ControlFifo() {}

  /** Resizes the pty of the process whose conmon was given {@code -b shimBundle}. */
  public static void resize(String what, Path shimBundle, int height, int width) {
    write(what, shimBundle.resolve("ctl"), String.format("1 %d %d%n", height, width));
  }

  private static void write(String what, Path fifo, String line) {
    int fd = NATIVE.open(fifo.toString(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      int errno = LastError.getLastError(RUNTIME);
      if (errno == ENXIO || errno == ENOENT) {
        throw CorralException.failedPrecondition("%s: its shim is gone", what);
      }
      throw PosixSpawn.failure(errno, what + ": open " + fifo);
    }
    try {
      byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
      if (NATIVE.write(fd, bytes, bytes.length) != bytes.length) {
        throw PosixSpawn.failure(LastError.getLastError(RUNTIME), what + ": write " + fifo);
      }
    } finally {
      NATIVE.close(fd);
    }
  }
}
