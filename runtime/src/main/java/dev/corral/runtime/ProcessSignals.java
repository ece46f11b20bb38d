package dev.corral.runtime;

import dev.corral.core.CorralException;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;

/**
 * Signals an exec's process directly: {@code runc kill} reaches only a container's init. Pids are
 * reused quickly here (pid_max 32768), so the signal goes through a pidfd: the pidfd is opened
 * first, then the pid's start time is checked against the recorded one; if it matches, the pidfd
 * names that very process, and pidfd_send_signal cannot hit a later process that reused the pid.
 *
 * <p>Stateless; usable from any thread.
 */
final class ProcessSignals {
  private ProcessSignals() {}

  static void send(String id, String execId, int pid, long startTime, int signal) {
    String what = "container " + id + ": process " + execId;
    int fd = Pidfd.open(pid);
    if (fd == Pidfd.NO_PROCESS) {
      throw gone(what);
    }
    try {
      if (startTime == 0 || !ProcStat.alive(pid, startTime) || !signal(fd, signal, what)) {
        throw gone(what);
      }
    } finally {
      Fds.close(fd);
    }
  }

  private static boolean signal(int fd, int signal, String what) {
    try {
      return Pidfd.signal(fd, signal);
    } catch (CorralException e) {
      throw CorralException.internal(e, "%s: %s", what, e.getMessage());
    }
  }

  private static CorralException gone(String what) {
    return CorralException.failedPrecondition("%s: has exited", what);
  }
}
