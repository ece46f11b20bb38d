package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;

/**
 * Delete a stopped container, or with {@code force} kill a running one first.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.DeleteHandler}.
 */
public record DeleteTask(String id, boolean force, Reply<Void> reply) implements Command {
  public DeleteTask {
    Ids.require("id", id);
  }
}
