package dev.corral.runtime.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc binding for plain file descriptors: open, read, write, close, pipes, poll, memfds. Raw:
 * each call returns what C returns; {@link Fds}, {@link Pipe} and {@link MemFile} check them.
 *
 * <p>Stateless; any thread.
 */
final class FdCalls {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Lib {
    @SaveError
    int open(@In String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    @ssize_t
    long read(int fd, @Out byte[] buf, @size_t long count);

    @SaveError
    @ssize_t
    long pread(int fd, @Out byte[] buf, @size_t long count, @off_t long offset);

    @SaveError
    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long count);

    @SaveError
    int pipe2(@Out int[] fds, int flags);

    @SaveError
    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** glibc >= 2.27. */
    @SaveError
    int memfd_create(@In String name, int flags);
  }

  static final Lib LIB = Libc.bind(Lib.class);
  static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIB);

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int MFD_CLOEXEC = 1;
  static final short POLLIN = 0x1;

  private FdCalls() {}
}
