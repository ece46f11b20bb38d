package dev.corral.runtime;

import dev.corral.core.CorralException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Our own jnr-ffi binding of glibc's {@code posix_spawn} family and the few fd calls around it.
 * jnr-posix is not used on purpose: its posix_spawnp leaks every open JVM fd into the child and
 * loses the spawn error (docs/runtime-notes.md). Callers use {@link Spawner} and {@link Pipe}; this
 * class only loads the library and turns error numbers into messages.
 *
 * <p>Stateless; the bound functions are thread-safe, so any thread may call them.
 */
final class PosixSpawn {
  /**
   * The glibc functions we call. The posix_spawn* ones return an error number, not -1. Public only
   * because jnr-ffi implements it in a class loader of its own.
   */
  public interface LibC {
    int posix_spawn(
        @Out IntByReference pid,
        @In String path,
        Pointer fileActions,
        Pointer attr,
        Pointer argv,
        Pointer envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_addopen(
        Pointer fileActions, int fd, @In String path, int flags, int mode);

    /** glibc >= 2.34. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    /** glibc >= 2.29. */
    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, @In String path);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int sigemptyset(Pointer sigset);

    int sigfillset(Pointer sigset);

    @SaveError
    int pipe2(@Out int[] fds, int flags);

    @SaveError
    int waitpid(int pid, @Out IntByReference status, int options);

    @SaveError
    int close(int fd);

    @SaveError
    @ssize_t
    long read(int fd, @Out byte[] buf, @size_t long count);

    @SaveError
    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long count);

    @SaveError
    int poll(Pointer fds, long nfds, int timeoutMillis);

    @SaveError
    int kill(int pid, int signal);

    String strerror(int errnum);
  }

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_CLOEXEC = 0x80000;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int WNOHANG = 1;
  static final short POLLIN = 0x1;
  static final short POSIX_SPAWN_SETSIGDEFAULT = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;

  /**
   * Bytes allocated for glibc's opaque structs: posix_spawn_file_actions_t is 80 bytes,
   * posix_spawnattr_t 336 and sigset_t 128 on x86_64; 512 covers every architecture.
   */
  static final int OPAQUE_SIZE = 512;

  static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private PosixSpawn() {}

  /** Throws for a non-zero error number as returned by the posix_spawn* functions. */
  static void checkErrno(int errno, String what) {
    if (errno != 0) {
      throw failure(errno, what);
    }
  }

  /** Throws when a -1-returning call failed; the error number is the saved errno. */
  static long checkResult(long result, String what) {
    if (result < 0) {
      throw failure(lastErrno(), what);
    }
    return result;
  }

  static int lastErrno() {
    return LastError.getLastError(RUNTIME);
  }

  static String describe(int errno) {
    return LIBC.strerror(errno) + " (errno " + errno + ")";
  }

  static CorralException failure(int errno, String what) {
    return CorralException.internal(null, "%s: %s", what, describe(errno));
  }
}
