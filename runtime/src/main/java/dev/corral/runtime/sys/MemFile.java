package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.FdCalls.LIB;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An anonymous in-memory file ({@code memfd_create}, close-on-exec) to hand a child as its stdout
 * or stderr: like a temp file, a grandchild that keeps it open cannot hang the reader past the
 * child's exit, but there is no path to create, delete or leave behind after a crash.
 *
 * <p>Not thread-safe: one thread owns it from {@link #create} to {@link #close}.
 */
public final class MemFile implements AutoCloseable {
  private final String name;
  private final int fd;

  private MemFile(String name, int fd) {
    this.name = name;
    this.fd = fd;
  }

  /** {@code name} only labels it in /proc/PID/fd and in error messages. */
  public static MemFile create(String name) {
    int fd = (int) Errno.check(LIB.memfd_create(name, FdCalls.MFD_CLOEXEC), "memfd_create " + name);
    return new MemFile(name, fd);
  }

  public int fd() {
    return fd;
  }

  /** Everything written so far, from offset 0 whatever the shared file offset is, as UTF-8. */
  public String readAll() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long offset = 0;
    while (true) {
      long n = LIB.pread(fd, buf, buf.length, offset);
      if (n == 0) {
        return out.toString(StandardCharsets.UTF_8);
      }
      if (n > 0) {
        out.write(buf, 0, (int) n);
        offset += n;
      } else {
        Errno.retryOnlyOnEintr("read memfd " + name);
      }
    }
  }

  @Override
  public void close() {
    Fds.close(fd);
  }
}
