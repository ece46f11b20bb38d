package dev.corral.supervisor.update;

import dev.corral.core.CorralException;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.ResourceUpdate;
import dev.corral.supervisor.task.Notifier;
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

  public UpdateJob(ContainerRuntime runtime, Notifier notifier) {
    this.runtime = runtime;
    this.notifier = notifier;
  }

  Runnable update(String id, Action action, ResourceUpdate resources) {
    return () -> {
      try {
        switch (action) {
          case PAUSE -> runtime.pause(id);
          case RESUME -> runtime.resume(id);
          case RESOURCES -> runtime.update(id, resources);
        }
        notifier.publish(new UpdateResultTask(id, action, null));
      } catch (RuntimeException e) {
        String verb = action.name().toLowerCase(Locale.ROOT);
        notifier.publish(
            new UpdateResultTask(
                id, action, CorralException.wrap(e, "container " + id + ": " + verb)));
      }
    };
  }
}
