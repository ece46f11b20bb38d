package dev.corral.supervisor.recovery;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Created;
import dev.corral.runtime.ProcStat;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The watch of a container found running after a daemon restart: its conmon, and its init through
 * the init's own pidfd, as a start watches them, so that an exit after a restart is reported as
 * soon as conmon reaps the init, with the kernel's code, and not only when conmon has written its
 * file.
 *
 * <p>The init is named by the pid conmon reported ({@code shim.json}) and its start time as read
 * then. A record from before that start time was kept has only the pid: the start time is read now
 * and trusted only while the process is conmon's child (conmon, checked against its own start time
 * by the scan, is a subreaper whose one child is the init; the container's orphans go to its init).
 * The monitor checks the child against conmon again once its pidfd is open.
 *
 * <p>Stateless; any thread.
 */
public final class RecoveredWatch {
  private RecoveredWatch() {}

  /** The watch of {@code c}'s conmon and, when it can be named safely, of its init. */
  public static Watch of(ContainerRef id, Created c, Path exitFile) {
    long start = c.initStartTime();
    if (start == Created.UNKNOWN) {
      OptionalLong now = ProcStat.startTime(c.initPid());
      if (now.isEmpty() || !ProcStat.childOf(c.initPid(), now.getAsLong(), c.conmonPid())) {
        return new Watch(id, Ids.INIT, c.conmonPid(), exitFile);
      }
      start = now.getAsLong();
    }
    return new Watch(id, Ids.INIT, c.conmonPid(), exitFile, c.initPid(), start);
  }
}
