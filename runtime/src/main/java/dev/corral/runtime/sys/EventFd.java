package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.EpollCalls.LIB;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checked eventfd calls: a counter the kernel makes readable while it is not zero, used to wake an
 * epoll loop; cgroup v1 also signals one on every OOM.
 *
 * <p>Stateless; safe from any thread. The caller owns the fd and closes it with {@link Fds#close}.
 */
public final class EventFd {
  /** The u64 1 a signal adds; never written to, so sharing it between threads is safe. */
  private static final byte[] ONE =
      ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();

  private EventFd() {}

  /** A non-blocking, close-on-exec eventfd at zero. */
  public static int open() {
    return (int) Errno.check(LIB.eventfd(0, EpollCalls.CLOEXEC | EpollCalls.NONBLOCK), "eventfd");
  }

  /** Adds one to the counter, which makes the fd readable. */
  public static void signal(int fd) {
    // An eventfd write moves exactly 8 bytes or fails. EAGAIN means the counter is at its
    // maximum: the fd is readable already, which is all a wakeup needs.
    if (LIB.write(fd, ONE, ONE.length) < 0 && Errno.last() != Errno.EAGAIN) {
      throw Errno.failure(Errno.last(), "write eventfd " + fd);
    }
  }

  /** Resets the counter to zero; EAGAIN means it already was. */
  public static void drain(int fd) {
    byte[] counter = new byte[8];
    if (LIB.read(fd, counter, counter.length) < 0 && Errno.last() != Errno.EAGAIN) {
      throw Errno.failure(Errno.last(), "read eventfd " + fd);
    }
  }
}
