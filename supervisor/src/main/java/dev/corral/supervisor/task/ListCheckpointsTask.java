package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Objects;

/**
 * The checkpoints of a container, by name; a worker scans the directory.
 *
 * <p>Handled by {@link dev.corral.supervisor.checkpoint.CheckpointHandler}.
 */
public record ListCheckpointsTask(ContainerRef id, Reply<List<CheckpointView>> reply)
    implements Command {
  public ListCheckpointsTask {
    Objects.requireNonNull(id, "id");
  }
}
