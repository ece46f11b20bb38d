package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Map;

/**
 * Snapshot one container of {@code namespace} ({@code id} set: not_found when absent) or all those
 * of it whose labels contain every {@code labels} pair ({@code id} null); {@code namespace} null
 * (with no id) lists every namespace's.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.QueryHandler}.
 */
public record GetContainersTask(
    String namespace, String id, Map<String, String> labels, Reply<List<ContainerView>> reply)
    implements Command {
  public GetContainersTask {
    if (namespace != null) {
      Ids.require("namespace", namespace);
    } else if (id != null) {
      throw new IllegalArgumentException("an id needs its namespace");
    }
    if (id != null) {
      Ids.require("id", id);
    }
    labels = Map.copyOf(labels == null ? Map.of() : labels);
  }
}
