package dev.corral.monitor;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few glibc calls the monitor needs, bound with jnr-ffi. Raw on purpose: each method returns
 * what C returns and leaves errno in {@link jnr.ffi.LastError}; {@link Syscalls} is the only caller
 * and checks every result.
 *
 * <p>Public only because jnr-ffi implements it with a class in its own class loader, which must be
 * able to see it; nothing outside this package should call it.
 *
 * <p>Stateless; safe from any thread (jnr saves errno per thread right after the call).
 */
public interface LinuxNative {
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
  int close(int fd);

  @SaveError
  int open(String path, int flags);

  @SaveError
  int inotify_init1(int flags);

  @SaveError
  int inotify_add_watch(int fd, String path, int mask);

  /**
   * glibc's {@code long syscall(long number, ...)}: pidfd_open has no glibc wrapper before 2.36,
   * and Debian 12's headers are not what the kernel under us may be.
   */
  @SaveError
  @Variadic(fixedCount = 1)
  long syscall(long number, long arg1, long arg2);

  /** glibc >= 2.32 returns static text for known errors, so this is safe from any thread. */
  String strerror(int errnum);
}
