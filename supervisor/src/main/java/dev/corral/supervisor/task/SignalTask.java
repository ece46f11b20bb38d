package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Send a signal to a container's init ({@code runc kill}) or to one of its execs (through a pidfd
 * of the exec's process). Handled by {@link dev.corral.supervisor.signal.SignalHandler}.
 *
 * @param processId "init" or an exec id
 * @param all signal every process in the container ({@code runc kill --all})
 * @param byUser a user's signal, which counts as a user's stop for the restart policy (Docker's
 *     rule); the daemon's own at shutdown ({@code --shutdown-containers}) does not, so an {@code
 *     unless-stopped} container it stopped comes back at the next start
 */
public record SignalTask(
    ContainerRef id, String processId, int signal, boolean all, boolean byUser, Reply<Void> reply)
    implements Command {
  /** A user's signal. */
  public SignalTask(ContainerRef id, String processId, int signal, boolean all, Reply<Void> reply) {
    this(id, processId, signal, all, true, reply);
  }

  /** The daemon's own signal to a container's init as it shuts down. */
  public static SignalTask atShutdown(ContainerRef id, int signal, boolean all) {
    return new SignalTask(id, Ids.INIT, signal, all, false, new Reply<>());
  }

  public SignalTask {
    Objects.requireNonNull(id, "id");
    processId = processId == null ? Ids.INIT : processId;
    if (!processId.equals(Ids.INIT)) {
      Ids.require("pid", processId);
    }
    if (signal < 1 || signal > 64) {
      throw CorralException.invalidArgument("signal: %d is not a signal number (1-64)", signal);
    }
  }
}
