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
 */
public record SignalTask(
    ContainerRef id, String processId, int signal, boolean all, Reply<Void> reply)
    implements Command {
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
