package dev.corral.runtime.sys;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The libc binding for signals and pidfds: kill, ioctl (for PIDFD_GET_INFO), and pidfd_open /
 * pidfd_send_signal through glibc's {@code syscall(2)} (no glibc wrapper before 2.36, and Debian
 * 12's headers need not match the kernel under us). Raw; {@link Pidfd} and {@link Spawner} check
 * every result.
 *
 * <p>Stateless; any thread.
 */
final class SignalCalls {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Lib {
    /**
     * glibc's variadic {@code long syscall(long number, ...)}. Always pass every argument the call
     * takes (0 for the unused ones): the kernel reads its registers whatever C passed.
     */
    @SaveError
    @Variadic(fixedCount = 1)
    long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    @SaveError
    int kill(int pid, int signal);

    /** glibc's variadic {@code int ioctl(int fd, unsigned long request, ...)} with a buffer. */
    @SaveError
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, @In @Out byte[] arg);
  }

  static final Lib LIB = Libc.bind(Lib.class);

  // The same numbers on every architecture since the syscall table unification (kernel 5.3).
  static final long SYS_PIDFD_SEND_SIGNAL = 424;
  static final long SYS_PIDFD_OPEN = 434;

  private SignalCalls() {}
}
