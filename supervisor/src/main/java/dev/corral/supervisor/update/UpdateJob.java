package dev.corral.supervisor.update;

import dev.corral.core.CorralException;
import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.Operation;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ResourceUpdate;
import dev.corral.supervisor.task.Notifier;
import dev.corral.supervisor.task.ResourceChange;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask.Action;
import java.util.Locale;

/**
 * The blocking half of {@link UpdateHandler}, on worker threads: {@code runc pause}, {@code resume}
 * or {@code update}, reported as an {@link UpdateResultTask} that the loop applies.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class UpdateJob {
  private final ContainerRuntime runtime;
  private final Notifier notifier;
  private final MetricCatalog metrics;

  public UpdateJob(ContainerRuntime runtime, Notifier notifier, MetricCatalog metrics) {
    this.runtime = runtime;
    this.notifier = notifier;
    this.metrics = metrics;
  }

  Runnable update(String id, Action action, ResourceChange change) {
    ResourceUpdate resources = change == null ? null : change.spec();
    return () -> {
      try {
        switch (action) {
          case PAUSE -> metrics.operation(Operation.PAUSE).time(() -> runtime.pause(id));
          case RESUME -> metrics.operation(Operation.RESUME).time(() -> runtime.resume(id));
          case RESOURCES ->
              metrics.operation(Operation.UPDATE).time(() -> runtime.update(id, resources));
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
}
