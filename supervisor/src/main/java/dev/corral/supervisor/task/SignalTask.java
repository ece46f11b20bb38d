package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.Reply;

/**
 * Send a signal to a container's init ({@code runc kill}) or to one of its execs (through a pidfd
 * of the exec's process).
 *
 * @param pid "init" or a process id
 * @param all signal every process in the container ({@code runc kill --all})
 */
public record SignalTask(String id, String pid, int signal, boolean all, Reply<Void> reply)
    implements Command {
  public SignalTask {
    Ids.require("id", id);
    pid = pid == null ? "init" : pid;
    if (!pid.equals("init")) {
      Ids.require("pid", pid);
    }
    if (signal < 1 || signal > 64) {
      throw CorralException.invalidArgument("signal: %d is not a signal number (1-64)", signal);
    }
  }
}
