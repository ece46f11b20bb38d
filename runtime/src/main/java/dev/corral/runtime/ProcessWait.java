package dev.corral.runtime;

import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;
import java.time.Duration;

/**
 * Waits for a process that is not our child (a conmon) to exit, through a pidfd, after checking
 * that its pid still names the process that started at the recorded time.
 *
 * <p>Stateless; blocking: worker threads only.
 */
public final class ProcessWait {
  private ProcessWait() {}

  /**
   * True once the process of {@code pid} and {@code startTime} is gone (also when it was gone
   * already, or the pid is someone else's now); false when {@code max} passed first.
   */
  public static boolean exited(int pid, long startTime, Duration max) {
    if (!ProcStat.alive(pid, startTime)) {
      return true;
    }
    int fd = Pidfd.open(pid);
    if (fd == Pidfd.NO_PROCESS) {
      return true;
    }
    try {
      // Checked after the open: the pidfd names this process, not a later owner of its pid.
      return !ProcStat.alive(pid, startTime)
          || Pidfd.awaitExit(fd, System.nanoTime() + max.toNanos());
    } finally {
      Fds.close(fd);
    }
  }
}
