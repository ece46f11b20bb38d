package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.List;

/**
 * The checkpoints of a container, by name; a worker scans the directory.
 *
 * <p>Handled by {@link dev.corral.supervisor.checkpoint.CheckpointHandler}.
 */
public record ListCheckpointsTask(String id, Reply<List<CheckpointView>> reply) implements Command {
  public ListCheckpointsTask {
    Ids.require("id", id);
  }
}
