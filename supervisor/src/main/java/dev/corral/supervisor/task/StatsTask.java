package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.metrics.ContainerStats;
import dev.corral.supervisor.thread.Reply;

/**
 * Read a live container's cgroup counters; a worker reads the files and answers.
 *
 * <p>Handled by {@link dev.corral.supervisor.stats.StatsHandler}.
 */
public record StatsTask(String id, Reply<ContainerStats> reply) implements Command {
  public StatsTask {
    Ids.require("id", id);
  }
}
