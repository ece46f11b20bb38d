package dev.corral.monitor;

import dev.corral.core.CorralException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checked wrappers over {@link LinuxNative}: every return value is looked at, errno becomes a
 * {@link CorralException} (internal) whose message names the call and strerror's text, EINTR is
 * retried where a retry is correct. The constants are the asm-generic values, shared by x86_64 and
 * aarch64.
 *
 * <p>Stateless; safe from any thread. Callers own the fds they get and must close each once.
 */
final class Syscalls {
  private static final Logger LOG = LoggerFactory.getLogger(Syscalls.class);

  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int EAGAIN = 11;

  static final int EPOLLIN = 0x001;
  private static final int EPOLL_CLOEXEC = 0x80000; // = O_CLOEXEC
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLL_CTL_DEL = 2;
  private static final int EFD_CLOEXEC = 0x80000; // = O_CLOEXEC
  private static final int EFD_NONBLOCK = 0x800; // = O_NONBLOCK
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int IN_NONBLOCK = 0x800; // = O_NONBLOCK
  private static final int IN_CLOEXEC = 0x80000; // = O_CLOEXEC
  static final int IN_MODIFY = 0x2;
  // The same number on every architecture since the syscall table unification (kernel 5.3).
  private static final long SYS_PIDFD_OPEN = 434;

  /** What {@link #pidfdOpen} returns when the process no longer exists. */
  static final int NO_PROCESS = -1;

  private static final LinuxNative LIBC =
      LibraryLoader.create(LinuxNative.class)
          .load(Platform.getNativePlatform().getStandardCLibraryName());
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  /** The u64 1 an eventfd write adds; never written to, so sharing it between threads is safe. */
  private static final byte[] ONE =
      ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();

  private Syscalls() {}

  static int epollCreate() {
    return check(LIBC.epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
  }

  static void epollAdd(int epfd, int fd, int events, long token) {
    byte[] event = EpollEvent.NATIVE.encode(events, token);
    check(LIBC.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, event), "epoll_ctl(ADD, fd %d)", fd);
  }

  static void epollDelete(int epfd, int fd) {
    // Kernels before 2.6.9 wanted a non-null event even for DEL; an empty one costs nothing.
    byte[] event = EpollEvent.NATIVE.encode(0, 0);
    check(LIBC.epoll_ctl(epfd, EPOLL_CTL_DEL, fd, event), "epoll_ctl(DEL, fd %d)", fd);
  }

  /** Waits for events into {@code events}; returns how many. A signal (EINTR) is not an error. */
  static int epollWait(int epfd, byte[] events, int timeoutMillis) {
    int max = events.length / EpollEvent.NATIVE.size();
    while (true) {
      int n = LIBC.epoll_wait(epfd, events, max, timeoutMillis);
      if (n >= 0 || errno() != EINTR) {
        return check(n, "epoll_wait(epfd %d)", epfd);
      }
    }
  }

  static int eventfd() {
    return check(LIBC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  }

  /** Adds one to the eventfd's counter, which makes it readable. */
  static void eventfdSignal(int fd) {
    // An eventfd write moves exactly 8 bytes or fails. EAGAIN means the counter is at its
    // maximum: the fd is readable already, which is all a wakeup needs.
    if (LIBC.write(fd, ONE, ONE.length) < 0 && errno() != EAGAIN) {
      check(-1, "write(eventfd %d)", fd);
    }
  }

  /** Resets the (non-blocking) eventfd's counter to zero; EAGAIN means it already was. */
  static void eventfdDrain(int fd) {
    byte[] counter = new byte[8];
    long n = LIBC.read(fd, counter, counter.length);
    if (n < 0 && errno() != EAGAIN) {
      check(-1, "read(eventfd %d)", fd);
    }
  }

  /** Opens {@code path} read-only and close-on-exec; the caller owns the fd. */
  static int openReadOnly(String path) {
    return check(LIBC.open(path, O_RDONLY | O_CLOEXEC), "open(%s)", path);
  }

  /** A non-blocking, close-on-exec inotify fd watching {@code path} for {@code mask}. */
  static int inotifyWatch(String path, int mask) {
    int fd = check(LIBC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC), "inotify_init1");
    if (LIBC.inotify_add_watch(fd, path, mask) < 0) {
      int errno = errno();
      close(fd);
      throw CorralException.internal(
          null, "inotify_add_watch(%s): %s (errno %d)", path, LIBC.strerror(errno), errno);
    }
    return fd;
  }

  /** Reads a non-blocking fd until it would block, discarding the bytes (inotify events). */
  static void drain(int fd) {
    byte[] buf = new byte[4096];
    while (true) {
      long n = LIBC.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && errno() != EAGAIN) {
          check(-1, "read(fd %d)", fd);
        }
        return;
      }
    }
  }

  /**
   * Opens a pidfd (always close-on-exec) on any process, child or not, or returns {@link
   * #NO_PROCESS} when there is no such process (ESRCH). A zombie still has a pidfd, which is
   * readable at once.
   */
  static int pidfdOpen(int pid) {
    long fd = LIBC.syscall(SYS_PIDFD_OPEN, pid, 0);
    if (fd < 0 && errno() == ESRCH) {
      return NO_PROCESS;
    }
    return check((int) fd, "pidfd_open(pid %d)", pid);
  }

  /**
   * Closes {@code fd}, logging a failure instead of throwing: the callers are cleanup paths, and
   * Linux releases the fd even when close fails, so EINTR must not be retried (the number may
   * already belong to someone else).
   */
  static void close(int fd) {
    if (LIBC.close(fd) < 0) {
      int errno = errno();
      LOG.warn("close(fd {}): {}", fd, LIBC.strerror(errno));
    }
  }

  private static int check(int rc, String format, Object... args) {
    if (rc < 0) {
      int errno = errno();
      String call = String.format(format, args);
      throw CorralException.internal(null, "%s: %s (errno %d)", call, LIBC.strerror(errno), errno);
    }
    return rc;
  }

  private static int errno() {
    return LastError.getLastError(RUNTIME);
  }
}
