package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Checkpoint a running container with CRIU through {@code runc checkpoint}.
 *
 * <p>Handled by {@link dev.corral.supervisor.checkpoint.CheckpointHandler}.
 */
public record CreateCheckpointTask(
    ContainerRef id, String name, CheckpointRequest options, Reply<CheckpointView> reply)
    implements Command {
  public CreateCheckpointTask {
    Objects.requireNonNull(id, "id");
    Ids.require("name", name);
    Objects.requireNonNull(options, "options");
  }
}
