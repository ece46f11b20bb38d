package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.SignalCalls.LIB;

/**
 * Checked pidfd calls. A pidfd names one process for good: unlike a pid, which is reused quickly
 * here (pid_max 32768), it can never come to mean a later process. It turns readable when the
 * process exits, whether or not it is our child, so it can be polled or put in an epoll set.
 *
 * <p>Stateless; safe from any thread. Callers own the fds they get and close them with {@link
 * Fds#close}.
 */
public final class Pidfd {
  /** What {@link #open} returns when the process no longer exists. */
  public static final int NO_PROCESS = -1;

  public static final int SIGKILL = 9;

  private Pidfd() {}

  /**
   * Opens a pidfd (always close-on-exec) on any process, child or not, or returns {@link
   * #NO_PROCESS} when there is no such process (ESRCH). A zombie still has a pidfd, which is
   * readable at once.
   */
  public static int open(int pid) {
    long fd = LIB.syscall(SignalCalls.SYS_PIDFD_OPEN, pid, 0, 0, 0);
    if (fd < 0 && Errno.last() == Errno.ESRCH) {
      return NO_PROCESS;
    }
    return (int) Errno.check(fd, "pidfd_open pid " + pid);
  }

  /** Sends {@code signal}; false when the process has exited already (ESRCH). */
  public static boolean signal(int pidfd, int signal) {
    if (LIB.syscall(SignalCalls.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0) == 0) {
      return true;
    }
    int errno = Errno.last();
    if (errno == Errno.ESRCH) {
      return false;
    }
    throw Errno.failure(errno, "pidfd_send_signal " + signal);
  }

  /** True once the process exited, false when the deadline ({@link System#nanoTime}) passed. */
  public static boolean awaitExit(int pidfd, long deadlineNanos) {
    return Fds.awaitReadable(pidfd, deadlineNanos);
  }

  /**
   * kill(2) by pid, for a process whose identity the caller has just checked (its start time) and
   * that has no pidfd; false when it is gone (ESRCH).
   */
  public static boolean kill(int pid, int signal) {
    if (LIB.kill(pid, signal) == 0) {
      return true;
    }
    int errno = Errno.last();
    if (errno == Errno.ESRCH) {
      return false;
    }
    throw Errno.failure(errno, "kill pid " + pid);
  }
}
