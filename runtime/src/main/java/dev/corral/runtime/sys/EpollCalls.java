package dev.corral.runtime.sys;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc binding for readiness: epoll, eventfd and inotify. Raw; {@link Epoll}, {@link EventFd}
 * and {@link Inotify} check every result.
 *
 * <p>Stateless; any thread.
 */
final class EpollCalls {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Lib {
    @SaveError
    int epoll_create1(int flags);

    /** {@code event} is one encoded {@code struct epoll_event}, see {@link EpollEvent}. */
    @SaveError
    int epoll_ctl(int epfd, int op, int fd, @In byte[] event);

    @SaveError
    int epoll_wait(int epfd, @Out byte[] events, int maxEvents, int timeoutMillis);

    @SaveError
    int eventfd(int initialValue, int flags);

    @SaveError
    @ssize_t
    long read(int fd, @Out byte[] buf, @size_t long count);

    @SaveError
    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long count);

    @SaveError
    int inotify_init1(int flags);

    @SaveError
    int inotify_add_watch(int fd, @In String path, int mask);
  }

  static final Lib LIB = Libc.bind(Lib.class);

  // The asm-generic values, shared by x86_64 and aarch64; every *_CLOEXEC is O_CLOEXEC and every
  // *_NONBLOCK is O_NONBLOCK.
  static final int CLOEXEC = 0x80000;
  static final int NONBLOCK = 0x800;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;

  private EpollCalls() {}
}
