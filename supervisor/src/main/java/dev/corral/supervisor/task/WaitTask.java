package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Answered when the container's init has exited (at once if it already has).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.QueryHandler}.
 */
public record WaitTask(ContainerRef id, Reply<ExitView> reply) implements Command {
  public WaitTask {
    Objects.requireNonNull(id, "id");
  }
}
