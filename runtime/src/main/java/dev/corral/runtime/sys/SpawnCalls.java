package dev.corral.runtime.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/**
 * The libc binding for starting and reaping children: glibc's {@code posix_spawn} family and
 * waitpid. Our own binding on purpose: jnr-posix's posix_spawnp leaks every open JVM fd into the
 * child and discards the spawn error. Raw; {@link Spawner} checks every result.
 *
 * <p>Stateless; any thread.
 */
final class SpawnCalls {
  /**
   * The calls. The posix_spawn* ones return an error number, not -1. Public only because jnr-ffi
   * implements it in a class loader of its own.
   */
  public interface Lib {
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

    @SaveError
    int sigemptyset(Pointer sigset);

    @SaveError
    int sigfillset(Pointer sigset);

    @SaveError
    int waitpid(int pid, @Out IntByReference status, int options);
  }

  static final Lib LIB = Libc.bind(Lib.class);
  static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIB);

  static final int WNOHANG = 1;
  static final short POSIX_SPAWN_SETSIGDEFAULT = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;

  /**
   * Bytes allocated for glibc's opaque structs: posix_spawn_file_actions_t is 80 bytes,
   * posix_spawnattr_t 336 and sigset_t 128 on x86_64; 512 covers every architecture.
   */
  static final int OPAQUE_SIZE = 512;

  private SpawnCalls() {}
}
