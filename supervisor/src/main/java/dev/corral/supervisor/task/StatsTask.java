package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.metrics.ContainerStats;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Read a live container's cgroup counters; a worker reads the files and answers.
 *
 * <p>Handled by {@link dev.corral.supervisor.stats.StatsHandler}.
 */
public record StatsTask(ContainerRef id, Reply<ContainerStats> reply) implements Command {
  public StatsTask {
    Objects.requireNonNull(id, "id");
  }
}
