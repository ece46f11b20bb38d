package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Change a running process's stdio: close its stdin, or resize its pty. Handled by {@link
 * dev.corral.supervisor.exec.ProcessHandler}.
 *
 * @param processId "init" or an exec id
 * @param height rows, for {@link Action#RESIZE} (1..65535)
 * @param width columns, for {@link Action#RESIZE} (1..65535)
 */
public record UpdateProcessTask(
    ContainerRef id, String processId, Action action, int height, int width, Reply<Void> reply)
    implements Command {
  /** What to change. */
  public enum Action {
    CLOSE_STDIN,
    RESIZE
  }

  private static final int MAX_SIZE = 65_535;

  public UpdateProcessTask {
    Objects.requireNonNull(id, "id");
    Ids.require("pid", processId);
    if (action == Action.RESIZE) {
      dimension("height", height);
      dimension("width", width);
    }
  }

  private static void dimension(String field, int v) {
    if (v < 1 || v > MAX_SIZE) {
      throw CorralException.invalidArgument("%s: %d is not in 1..%d", field, v, MAX_SIZE);
    }
  }

  public static UpdateProcessTask closeStdin(ContainerRef id, String processId, Reply<Void> reply) {
    return new UpdateProcessTask(id, processId, Action.CLOSE_STDIN, 0, 0, reply);
  }
}
