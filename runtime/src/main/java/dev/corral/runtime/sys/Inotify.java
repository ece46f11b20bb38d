package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.EpollCalls.LIB;

/**
 * Checked inotify calls: cgroup v2 reports OOM kills only as a changed {@code memory.events}.
 *
 * <p>Stateless; safe from any thread. The caller owns the fd, drains it with {@link Fds#drain} and
 * closes it with {@link Fds#close}.
 */
public final class Inotify {
  public static final int IN_MODIFY = 0x2;

  private Inotify() {}

  /** A non-blocking, close-on-exec inotify fd watching {@code path} for {@code mask}. */
  public static int watch(String path, int mask) {
    int fd =
        (int)
            Errno.check(
                LIB.inotify_init1(EpollCalls.NONBLOCK | EpollCalls.CLOEXEC), "inotify_init1");
    if (LIB.inotify_add_watch(fd, path, mask) < 0) {
      int errno = Errno.last();
      Fds.close(fd);
      throw Errno.failure(errno, "inotify_add_watch " + path);
    }
    return fd;
  }
}
