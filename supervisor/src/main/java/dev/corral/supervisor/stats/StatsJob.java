package dev.corral.supervisor.stats;

import com.codahale.metrics.Timer;
import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.metrics.CgroupStats;
import dev.corral.metrics.ContainerStats;
import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.Operation;
import dev.corral.supervisor.model.Cgroups;
import dev.corral.supervisor.task.AnswerTask;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.thread.Reply;
import java.time.Instant;

/**
 * The blocking half of {@link StatsHandler}, on worker threads: reads a container's cgroup files
 * (runc put it at PARENT/ID) and publishes the answer as an {@link AnswerTask}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class StatsJob {
  private final CgroupStats cgroups = new CgroupStats(Cgroups.ROOT);
  private final Notifier notifier;

  private final Timer timer;

  public StatsJob(Notifier notifier, MetricCatalog metrics) {
    this.notifier = notifier;
    this.timer = metrics.operation(Operation.STATS);
  }

  Runnable stats(ContainerRef id, String cgroupsPath, Reply<ContainerStats> reply) {
    return () -> {
      try {
        ContainerStats s =
            timer.timeSupplier(() -> cgroups.read(id.id(), cgroupsPath, Instant.now()));
        notifier.publish(AnswerTask.ok(reply, s));
      } catch (RuntimeException e) {
        notifier.publish(
            AnswerTask.failed(reply, CorralException.wrap(e, "container " + id + ": stats")));
      }
    };
  }
}
