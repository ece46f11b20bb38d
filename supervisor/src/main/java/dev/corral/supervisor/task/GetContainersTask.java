package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Map;

/**
 * Snapshot one container ({@code id} set: not_found when absent) or all those whose labels contain
 * every {@code labels} pair ({@code id} null).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.QueryHandler}.
 */
public record GetContainersTask(
    String id, Map<String, String> labels, Reply<List<ContainerView>> reply) implements Command {
  public GetContainersTask {
    if (id != null) {
      Ids.require("id", id);
    }
    labels = Map.copyOf(labels == null ? Map.of() : labels);
  }
}
