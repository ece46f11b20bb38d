package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Delete a stopped container, or with {@code force} kill a running one first.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.DeleteHandler}.
 */
public record DeleteTask(ContainerRef id, boolean force, Reply<Void> reply) implements Command {
  public DeleteTask {
    Objects.requireNonNull(id, "id");
  }
}
