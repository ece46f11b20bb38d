package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Run a stopped container again from its saved spec: a new shim, same id, log appended. Answered
 * with the running container.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record StartExistingTask(ContainerRef id, Reply<ContainerView> reply) implements Command {
  public StartExistingTask {
    Objects.requireNonNull(id, "id");
  }
}
