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
   * Opens {@code path} read-only, non-blocking and close-on-exec; returns the fd, or {@code -errno}
   * so that the caller can tell an expected failure (ENOENT) apart. On a FIFO the open succeeds
   * without a writer, and a writer blocked in its own open is released by it.
   */
  public static int tryOpenReadNonBlocking(String path) {
    int fd = LIB.open(path, FdCalls.O_RDONLY | FdCalls.O_NONBLOCK | FdCalls.O_CLOEXEC);
    return fd < 0 ? -Errno.last() : fd;
  }

  /** True when {@code -errno}, as the {@code try*} calls return it, is ENOENT. */
  public static boolean isNoEntry(int negativeErrno) {
    return negativeErrno == -Errno.ENOENT;
  }

  /**
   * One read of a non-blocking fd into {@code buf}: the byte count, 0 at end of file, or -1 when it
   * would block.
   */
  public static int readSome(int fd, byte[] buf, String what) {
    while (true) {
      long n = LIB.read(fd, buf, buf.length);
      if (n >= 0) {
        return (int) n;
      }
      int errno = Errno.last();
      if (errno == Errno.EAGAIN) {
        return -1;
      }
      if (errno != Errno.EINTR) {
        throw Errno.failure(errno, what);
      }
    }
  }

  /**
   * Waits until {@code fd} is readable or hung up (true), or the deadline ({@link System#nanoTime}
   * based) passed (false). A signal (EINTR) restarts the wait with what is left of the time.
   */
  public static boolean awaitReadable(int fd, long deadlineNanos) {
    return awaitAny(deadlineNanos, fd) >= 0;
  }

  /**
   * Waits until {@code fd} hangs up (POLLHUP or POLLERR; readability alone does not end the wait):
   * true, or false once the deadline ({@link System#nanoTime} based) passed. A pidfd hangs up when
   * its process is reaped, where it is readable from the process's death on.
   */
  public static boolean awaitHangup(int fd, long deadlineNanos) {
    return poll(deadlineNanos, (short) 0, fd) >= 0;
  }

  /**
   * Waits until one of {@code fds} is readable or hung up and returns its index (the lowest when
   * several are), or -1 when the deadline ({@link System#nanoTime} based) passed first. A signal
   * (EINTR) restarts the wait with what is left of the time.
   */
  public static int awaitAny(long deadlineNanos, int... fds) {
    return poll(deadlineNanos, FdCalls.POLLIN, fds);
  }

  /** poll(2) for {@code events} (POLLHUP and POLLERR always count) on each of {@code fds}. */
  private static int poll(long deadlineNanos, short events, int... fds) {
    // struct pollfd { int fd; short events; short revents; }: 8 bytes each
    Pointer pollfds = Memory.allocateDirect(FdCalls.RUNTIME, 8 * fds.length, true);
    for (int i = 0; i < fds.length; i++) {
      pollfds.putInt(8L * i, fds[i]);
      pollfds.putShort(8L * i + 4, events);
    }
    while (true) {
      // Rounded up: a wait cut to 0 ms short of the deadline would spin.
      long left = Math.max(0, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
      int r = LIB.poll(pollfds, fds.length, (int) Math.min(left, Integer.MAX_VALUE));
      if (r > 0) {
        for (int i = 0; i < fds.length; i++) {
          if (pollfds.getShort(8L * i + 6) != 0) {
            return i;
          }
        }
        throw CorralException.internal(null, "poll: %d ready but no revents set", r);
      }
      if (r == 0) {
        return -1;
      }
      Errno.retryOnlyOnEintr("poll fds " + java.util.Arrays.toString(fds));
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
