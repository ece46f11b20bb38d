package dev.corral.monitor;

/**
 * One fd in an {@link EpollLoop}'s epoll set: the fd, its token (the epoll data, never reused, so a
 * late event of a released fd cannot reach a newer registration that got the same fd number) and
 * its handler. The loop owns the fd from registration on.
 *
 * <p>Immutable; {@link #release()} is safe from any thread and acts once.
 */
final class Registration {
  private final EpollLoop loop;
  private final long token;
  private final int fd;
  private final ReadyHandler handler;

  Registration(EpollLoop loop, long token, int fd, ReadyHandler handler) {
    this.loop = loop;
    this.token = token;
    this.fd = fd;
    this.handler = handler;
  }

  long token() {
    return token;
  }

  /** The fd; valid for reads on the loop thread while this registration is not released. */
  int fd() {
    return fd;
  }

  ReadyHandler handler() {
    return handler;
  }

  /**
   * Removes the fd from the epoll set and closes it. Returns true for the one caller that did it,
   * false when it was released already (by another thread, or by the loop's close).
   */
  boolean release() {
    return loop.release(this);
  }
}
