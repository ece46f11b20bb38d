package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;

/**
 * Answered when the container's init has exited (at once if it already has).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.QueryHandler}.
 */
public record WaitTask(String id, Reply<ExitView> reply) implements Command {
  public WaitTask {
    Ids.require("id", id);
  }
}
