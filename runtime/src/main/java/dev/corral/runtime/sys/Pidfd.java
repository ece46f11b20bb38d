package dev.corral.runtime.sys;

import static dev.corral.runtime.sys.SignalCalls.LIB;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

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

  /*
   * PIDFD_GET_INFO (include/uapi/linux/pidfd.h, Linux 6.13; exit codes since 6.15):
   *
   *   struct pidfd_info {            offset
   *     __u64 mask;                    0   in: what we ask for; out: what the kernel filled in
   *     __u64 cgroupid;                8
   *     __u32 pid, tgid, ppid;        16
   *     __u32 ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;   28
   *     __s32 exit_code;              60   a wait status, as waitpid(2) reports it
   *     ...                           64   later versions grow here (coredump, supported mask)
   *   };
   *   #define PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info)
   *
   * The ioctl is extensible: the kernel takes the struct's size from the request number's size
   * bits and copies no more than that, so we ask with the first published size (64 bytes):
   * _IOWR = dir 3 << 30 | size 64 << 16 | type 0xFF << 8 | nr 11 = 0xC040FF0B.
   */
  private static final long PIDFD_GET_INFO = 0xC040FF0BL;
  private static final int INFO_SIZE = 64;
  private static final long PIDFD_INFO_EXIT = 1L << 3;
  private static final int EXIT_CODE_OFFSET = 60;

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

  /**
   * The wait status the kernel kept for the process of {@code pidfd}, or empty when it offers none:
   * the process is not reaped yet (a zombie has no exit info; its parent must wait for it first),
   * the pidfd was opened after the reap, or the kernel is older than 6.15 (ENOTTY or EINVAL). Works
   * for a process that is not our child (its parent is conmon); waitid on it would fail with
   * ECHILD.
   */
  public static Optional<ExitStatus> exitStatus(int pidfd) {
    ByteBuffer info = ByteBuffer.allocate(INFO_SIZE).order(ByteOrder.nativeOrder());
    info.putLong(0, PIDFD_INFO_EXIT);
    byte[] buf = info.array();
    if (LIB.ioctl(pidfd, PIDFD_GET_INFO, buf) != 0) {
      int errno = Errno.last();
      if (errno == Errno.ENOTTY || errno == Errno.EINVAL || errno == Errno.ESRCH) {
        return Optional.empty();
      }
      throw Errno.failure(errno, "ioctl PIDFD_GET_INFO pidfd " + pidfd);
    }
    if ((info.getLong(0) & PIDFD_INFO_EXIT) == 0) {
      return Optional.empty();
    }
    return Optional.of(new ExitStatus(info.getInt(EXIT_CODE_OFFSET)));
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
