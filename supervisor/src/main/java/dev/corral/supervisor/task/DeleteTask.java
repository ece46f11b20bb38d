package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.Reply;

/** Delete a stopped container, or with {@code force} kill a running one first. */
public record DeleteTask(String id, boolean force, Reply<Void> reply) implements Command {
  public DeleteTask {
    Ids.require("id", id);
  }
}
