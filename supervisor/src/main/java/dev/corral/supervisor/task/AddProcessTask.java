package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Run an exec in a running container; answered once it runs (or with the failure).
 *
 * <p>Handled by {@link dev.corral.supervisor.exec.ProcessHandler}.
 */
public record AddProcessTask(String id, ExecRequest request, Reply<ProcessView> reply)
    implements Command {
  public AddProcessTask {
    Ids.require("id", id);
    Objects.requireNonNull(request, "request");
  }
}
