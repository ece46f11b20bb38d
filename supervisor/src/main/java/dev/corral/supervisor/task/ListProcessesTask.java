package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.List;

/**
 * The processes of one container: its init first, then its execs in the order they started.
 *
 * <p>Handled by {@link dev.corral.supervisor.exec.ProcessHandler}.
 */
public record ListProcessesTask(String id, Reply<List<ProcessView>> reply) implements Command {
  public ListProcessesTask {
    Ids.require("id", id);
  }
}
