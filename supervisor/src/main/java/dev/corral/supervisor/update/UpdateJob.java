package dev.corral.supervisor.update;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.Operation;
import dev.corral.runtime.Bundles;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ResourceUpdate;
import dev.corral.state.StateDir;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask.Action;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking half of {@link UpdateHandler}, on worker threads: {@code runc pause}, {@code resume}
 * or {@code update}, reported as an {@link UpdateResultTask} that the loop applies.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class UpdateJob {
  private static final Logger log = LoggerFactory.getLogger(UpdateJob.class);
  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final MetricCatalog metrics;
  private final StateDir state;

  public UpdateJob(
      ContainerRuntime runtime, Notifier notifier, MetricCatalog metrics, StateDir state) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.metrics = metrics;
    this.state = state;
  }

  Runnable update(ContainerRef id, Action action, ResourceChange change) {
    ResourceUpdate resources = change == null ? null : change.spec();
    return () -> {
      try {
        switch (action) {
          case PAUSE -> metrics.operation(Operation.PAUSE).time(() -> runtime.pause(id));
          case RESUME -> metrics.operation(Operation.RESUME).time(() -> runtime.resume(id));
          case RESOURCES -> {
            metrics.operation(Operation.UPDATE).time(() -> runtime.update(id, resources));
            remember(id, resources);
          }
        }
        notifier.publish(new UpdateResultTask(id, action, change, null));
      } catch (RuntimeException e) {
        String verb = action.name().toLowerCase(Locale.ROOT);
        notifier.publish(
            new UpdateResultTask(
                id, action, CorralException.wrap(e, "container " + id + ": " + verb)));
      }
    };
  }

  /**
   * The daemon's config.json keeps the limits applied, for a restarted daemon's inspect. Best
   * effort: the cgroup has them already, and failing the update now would misreport it.
   */
  private void remember(ContainerRef id, ResourceUpdate applied) {
    try {
      Bundles.setResources(state.paths(id).bundle(), applied);
    } catch (RuntimeException e) {
      log.warn("container {}: updated limits not kept in its config.json: {}", id, e.getMessage());
    }
  }
}
