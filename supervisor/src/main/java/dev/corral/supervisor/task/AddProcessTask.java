package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Run an exec in a running container; answered once it runs (or with the failure).
 *
 * <p>Handled by {@link dev.corral.supervisor.exec.ProcessHandler}.
 */
public record AddProcessTask(ContainerRef id, ExecRequest request, Reply<ProcessView> reply)
    implements Command {
  public AddProcessTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
  }
}
