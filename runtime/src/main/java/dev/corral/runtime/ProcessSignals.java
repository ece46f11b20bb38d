package dev.corral.runtime;

import dev.corral.core.CorralException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Signals an exec's process directly: {@code runc kill} reaches only a container's init. Pids are
 * reused quickly here (pid_max 32768), so the signal goes through a pidfd: the pidfd is opened
 * first, then the pid's start time is checked against the recorded one; if it matches, the pidfd
 * names that very process, and pidfd_send_signal cannot hit a later process that reused the pid.
 *
 * <p>Stateless; usable from any thread.
 */
final class ProcessSignals {
  /** The calls; public only because jnr-ffi implements it in a class loader of its own. */
  public interface Native {
    /** glibc's variadic syscall(2); unused trailing arguments are ignored by the kernel. */
    @SaveError
    long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    @SaveError
    int close(int fd);
  }

  private static final Native NATIVE = LibraryLoader.create(Native.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(NATIVE);
  // The same numbers on every architecture since the syscall table unification (kernel 5.3).
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;
  private static final long SYS_PIDFD_OPEN = 434;
  private static final int ESRCH = 3;

  private ProcessSignals() {}

  static void send(String id, String execId, int pid, long startTime, int signal) {
    String what = "container " + id + ": process " + execId;
    long fd = NATIVE.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
    if (fd < 0) {
      throw failure(errno(), what, "pidfd_open");
    }
    try {
      if (startTime == 0 || !ProcStat.alive(pid, startTime)) {
        throw gone(what);
      }
      if (NATIVE.syscall(SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0) < 0) {
        throw failure(errno(), what, "pidfd_send_signal");
      }
    } finally {
      NATIVE.close((int) fd);
    }
  }

  private static CorralException failure(int errno, String what, String call) {
    return errno == ESRCH ? gone(what) : PosixSpawn.failure(errno, what + ": " + call);
  }

  private static CorralException gone(String what) {
    return CorralException.failedPrecondition("%s: has exited", what);
  }

  private static int errno() {
    return LastError.getLastError(RUNTIME);
  }
}
