package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.Reply;

/** Remove one checkpoint's images; the container may be in any state. */
public record DeleteCheckpointTask(String id, String name, Reply<Void> reply) implements Command {
  public DeleteCheckpointTask {
    Ids.require("id", id);
    Ids.require("name", name);
  }
}
