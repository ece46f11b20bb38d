package dev.corral.runtime;

import dev.corral.core.CorralException;

/**
 * Signals an exec's process directly with kill(2): {@code runc kill} reaches only a container's
 * init. Pids are reused quickly here (pid_max 32768), so the pid is first checked to still be the
 * process that started at the recorded time. A window remains between that check and kill(2) in
 * which the process could exit and its pid be reused; pidfd_send_signal would close it.
 *
 * <p>Stateless; usable from any thread.
 */
final class ProcessSignals {
  private static final int ESRCH = 3;

  private ProcessSignals() {}

  static void send(String id, String execId, int pid, long startTime, int signal) {
    if (startTime == 0 || !ProcStat.alive(pid, startTime)) {
      throw gone(id, execId);
    }
    if (PosixSpawn.LIBC.kill(pid, signal) < 0) {
      int errno = PosixSpawn.lastErrno();
      if (errno == ESRCH) {
        throw gone(id, execId);
      }
      throw PosixSpawn.failure(errno, "container " + id + ": process " + execId + ": kill");
    }
  }

  private static CorralException gone(String id, String execId) {
    return CorralException.failedPrecondition("container %s: process %s: has exited", id, execId);
  }
}
