package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Objects;

/**
 * The processes of one container: its init first, then its execs in the order they started.
 *
 * <p>Handled by {@link dev.corral.supervisor.exec.ProcessHandler}.
 */
public record ListProcessesTask(ContainerRef id, Reply<List<ProcessView>> reply)
    implements Command {
  public ListProcessesTask {
    Objects.requireNonNull(id, "id");
  }
}
