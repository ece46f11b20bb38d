package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.EpollCalls.LIB;

/**
 * Checked epoll calls; events and tokens travel as {@link EpollEvent#NATIVE} encodes them.
 *
 * <p>Stateless; safe from any thread. The caller owns the epoll fd and closes it with {@link
 * Fds#close}.
 */
public final class Epoll {
  public static final int EPOLLIN = 0x001;

  /**
   * Always reported, never needs asking for. A pidfd registered with no events at all (0) wakes
   * only with it, when the process is reaped, not when it turns a zombie.
   */
  public static final int EPOLLHUP = 0x010;

  private Epoll() {}

  /** A close-on-exec epoll set. */
  public static int create() {
    return (int) Errno.check(LIB.epoll_create1(EpollCalls.CLOEXEC), "epoll_create1");
  }

  public static void add(int epfd, int fd, int events, long token) {
    byte[] event = EpollEvent.NATIVE.encode(events, token);
    Errno.check(LIB.epoll_ctl(epfd, EpollCalls.EPOLL_CTL_ADD, fd, event), "epoll_ctl ADD fd " + fd);
  }

  public static void delete(int epfd, int fd) {
    // Kernels before 2.6.9 wanted a non-null event even for DEL; an empty one costs nothing.
    byte[] event = EpollEvent.NATIVE.encode(0, 0);
    Errno.check(LIB.epoll_ctl(epfd, EpollCalls.EPOLL_CTL_DEL, fd, event), "epoll_ctl DEL fd " + fd);
  }

  /** Waits for events into {@code events}; returns how many. A signal (EINTR) is not an error. */
  public static int await(int epfd, byte[] events, int timeoutMillis) {
    int max = events.length / EpollEvent.NATIVE.size();
    while (true) {
      int n = LIB.epoll_wait(epfd, events, max, timeoutMillis);
      if (n >= 0) {
        return n;
      }
      Errno.retryOnlyOnEintr("epoll_wait epfd " + epfd);
    }
  }
}
