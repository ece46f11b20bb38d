package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.FdCalls.LIB;

import dev.corral.core.CorralException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checked calls on plain file descriptors. Callers own the fds they get and close each once, with
 * {@link #close}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Fds {
  private static final Logger LOG = LoggerFactory.getLogger(Fds.class);

  private Fds() {}

  /** Opens {@code path} read-only and close-on-exec. */
  public static int openReadOnly(String path) {
    return (int) Errno.check(LIB.open(path, FdCalls.O_RDONLY | FdCalls.O_CLOEXEC), "open " + path);
  }

  /**
   * Opens {@code path} write-only, non-blocking and close-on-exec; returns the fd, or {@code
   * -errno} so that the caller can tell expected failures (a FIFO nobody reads: ENXIO) apart.
   */
  public static int tryOpenWriteNonBlocking(String path) {
    int fd = LIB.open(path, FdCalls.O_WRONLY | FdCalls.O_NONBLOCK | FdCalls.O_CLOEXEC);
    return fd < 0 ? -Errno.last() : fd;
  }

  /** Writes all of {@code text} (ASCII) in one write; a short write is a failure. */
  public static void writeAll(int fd, String text, String what) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    long n = LIB.write(fd, bytes, bytes.length);
    if (n < 0) {
      throw Errno.failure(Errno.last(), what);
    }
    if (n != bytes.length) {
      throw CorralException.internal(
          null, "%s: short write, %d of %d bytes", what, n, bytes.length);
    }
  }

  /** Reads a non-blocking fd until it would block, discarding the bytes (inotify events). */
  public static void drain(int fd) {
    byte[] buf = new byte[4096];
    while (true) {
      long n = LIB.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && Errno.last() != Errno.EAGAIN) {
          throw Errno.failure(Errno.last(), "read fd " + fd);
        }
        return;
      }
    }
  }

  /**
   * Waits until {@code fd} is readable or hung up (true), or the deadline ({@link System#nanoTime}
   * based) passed (false). A signal (EINTR) restarts the wait with what is left of the time.
   */
  public static boolean awaitReadable(int fd, long deadlineNanos) {
    Pointer pollfd = Memory.allocateDirect(FdCalls.RUNTIME, 8, true);
    pollfd.putInt(0, fd);
    pollfd.putShort(4, FdCalls.POLLIN);
    while (true) {
      // Rounded up: a wait cut to 0 ms short of the deadline would spin.
      long left = Math.max(0, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
      int r = LIB.poll(pollfd, 1, (int) Math.min(left, Integer.MAX_VALUE));
      if (r != -1) {
        return r > 0;
      }
      Errno.retryOnlyOnEintr("poll fd " + fd);
    }
  }

  /**
   * Closes {@code fd}, logging a failure instead of throwing: the callers are cleanup paths, and
   * Linux releases the fd even when close fails, so EINTR must not be retried (the number may
   * already belong to someone else).
   */
  public static void close(int fd) {
    if (LIB.close(fd) < 0) {
      LOG.warn("close fd {}: {}", fd, Errno.describe(Errno.last()));
    }
  }
}
