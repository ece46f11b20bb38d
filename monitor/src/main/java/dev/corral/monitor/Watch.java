package dev.corral.monitor;

import dev.corral.core.ContainerRef;
import java.nio.file.Path;

/**
 * One process to watch for exit: a conmon (of a container's init, or of an exec), and optionally
 * the process that conmon supervises, watched through a pidfd of its own so its exit is known the
 * moment conmon reaps it, before conmon writes its files and exits.
 *
 * @param containerId the container it belongs to
 * @param processId "init", or the exec id
 * @param pid the conmon pid
 * @param exitFile where that conmon writes the exit code before it exits
 * @param childPid the process conmon supervises (its child), or {@link #NO_CHILD}
 * @param childStartTime that child's start time (field 22 of /proc/PID/stat, clock ticks since
 *     boot), recorded when conmon reported the pid; the pidfd is trusted only if it still matches
 */
public record Watch(
    ContainerRef containerId,
    String processId,
    int pid,
    Path exitFile,
    int childPid,
    long childStartTime) {
  /** {@link #childPid} when only the conmon is watched. */
  public static final int NO_CHILD = 0;

  /** Watches the conmon only; its exit file is the only source of the code. */
  public Watch(ContainerRef containerId, String processId, int pid, Path exitFile) {
    this(containerId, processId, pid, exitFile, NO_CHILD, 0);
  }

  /** The registration key: one watch per (container, process). */
  public String key() {
    return containerId + "/" + processId;
  }
}
