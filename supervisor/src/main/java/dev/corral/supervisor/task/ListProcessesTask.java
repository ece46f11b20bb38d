package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.ProcessView;
import dev.corral.supervisor.Reply;
import java.util.List;

/** The processes of one container: its init first, then its execs in the order they started. */
public record ListProcessesTask(String id, Reply<List<ProcessView>> reply) implements Command {
  public ListProcessesTask {
    Ids.require("id", id);
  }
}
