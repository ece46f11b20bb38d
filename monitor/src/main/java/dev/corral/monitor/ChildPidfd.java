package dev.corral.monitor;

import dev.corral.runtime.ProcStat;
import dev.corral.runtime.sys.ExitStatus;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pidfd of the process a conmon supervises (the container's init), opened only when it names
 * that very process, and the exit code the kernel keeps behind it.
 *
 * <p>The kernel (6.15+) keeps a process's wait status behind every pidfd opened on it before it was
 * reaped, for any caller in an ancestor pid namespace, parent or not: corrald, not the parent
 * (conmon is), cannot waitid the init but can read its status with PIDFD_GET_INFO once conmon
 * reaped it. That reap is also when the pidfd reports EPOLLHUP (while a zombie it is only
 * readable), so the fd is registered for no events at all and wakes exactly then.
 *
 * <p>Stateless; safe from any thread.
 */
final class ChildPidfd {
  private static final Logger LOG = LoggerFactory.getLogger(ChildPidfd.class);

  /** What {@link #open} returns when there is no child to watch. */
  static final int NONE = -1;

  private ChildPidfd() {}

  /**
   * A pidfd on {@code w}'s child, or {@link #NONE}: none was given, it is gone (reaped: its code is
   * then only in conmon's exit file), or the pid now names another process.
   */
  static int open(Watch w) {
    if (w.childPid() == Watch.NO_CHILD) {
      return NONE;
    }
    int fd = Pidfd.open(w.childPid());
    if (fd == Pidfd.NO_PROCESS) {
      return NONE;
    }
    // The pidfd names whatever had the pid when it was opened. Checked afterwards, the pid is
    // still the child conmon reported (same start time, conmon its parent), so the pidfd is too.
    if (!ProcStat.childOf(w.childPid(), w.childStartTime(), w.pid())) {
      LOG.debug("watch {}: pid {} is no longer conmon's child", w.key(), w.childPid());
      Fds.close(fd);
      return NONE;
    }
    return fd;
  }

  /**
   * The code corral reports for the reaped process of {@code pidfd} (128 + n for signal n), or
   * empty when the kernel offers none (not reaped yet, or a kernel before 6.15).
   */
  static OptionalInt code(Watch w, int pidfd) {
    try {
      Optional<ExitStatus> s = Pidfd.exitStatus(pidfd);
      LOG.debug("watch {}: the kernel's exit status: {}", w.key(), s);
      return s.map(x -> OptionalInt.of(x.code())).orElse(OptionalInt.empty());
    } catch (RuntimeException e) {
      LOG.warn("watch {}: PIDFD_GET_INFO: {}", w.key(), e.getMessage());
      return OptionalInt.empty();
    }
  }
}
