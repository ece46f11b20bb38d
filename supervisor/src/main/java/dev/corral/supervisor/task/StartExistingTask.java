package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;

/**
 * Run a stopped container again from its saved spec: a new shim, same id, log appended. Answered
 * with the running container.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record StartExistingTask(String id, Reply<ContainerView> reply) implements Command {
  public StartExistingTask {
    Ids.require("id", id);
  }
}
