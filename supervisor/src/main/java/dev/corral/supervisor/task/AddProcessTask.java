package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.ExecRequest;
import dev.corral.supervisor.ProcessView;
import dev.corral.supervisor.Reply;
import java.util.Objects;

/** Run an exec in a running container; answered once it runs (or with the failure). */
public record AddProcessTask(String id, ExecRequest request, Reply<ProcessView> reply)
    implements Command {
  public AddProcessTask {
    Ids.require("id", id);
    Objects.requireNonNull(request, "request");
  }
}
