package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Remove one checkpoint's images; the container may be in any state.
 *
 * <p>Handled by {@link dev.corral.supervisor.checkpoint.CheckpointHandler}.
 */
public record DeleteCheckpointTask(ContainerRef id, String name, Reply<Void> reply)
    implements Command {
  public DeleteCheckpointTask {
    Objects.requireNonNull(id, "id");
    Ids.require("name", name);
  }
}
