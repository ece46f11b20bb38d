package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Answered when the exec {@code processId} has exited (at once if it already has); handled by
 * {@link dev.corral.supervisor.exec.ProcessHandler}.
 */
public record WaitProcessTask(ContainerRef id, String processId, Reply<ExitView> reply)
    implements Command {
  public WaitProcessTask {
    Objects.requireNonNull(id, "id");
    Ids.require("pid", processId);
  }
}
