package dev.corral.supervisor;

import dev.corral.core.CorralException;
import dev.corral.runtime.ContainerRuntime;
import dev.corral.runtime.Resources;
import dev.corral.supervisor.task.UpdateResultTask;
import dev.corral.supervisor.task.UpdateTask.Action;

/**
 * The blocking halves of what a user does to a running container (pause, resume, update), run on
 * worker threads. Each job reads only its immutable inputs and reports through the {@link
 * Notifier}; none touches the table.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
final class LiveJobs {
  private final ContainerRuntime runtime;
  private final Notifier notifier;

  LiveJobs(ContainerRuntime runtime, Notifier notifier) {
    this.runtime = runtime;
    this.notifier = notifier;
  }

  /** runc pause, resume or update; the loop applies the outcome. */
  Runnable update(String id, Action action, Resources resources) {
    return () -> {
      try {
        switch (action) {
          case PAUSE -> runtime.pause(id);
          case RESUME -> runtime.resume(id);
          case RESOURCES -> runtime.update(id, resources);
        }
        notifier.publish(new UpdateResultTask(id, action, null));
      } catch (RuntimeException e) {
        String verb = action.name().toLowerCase(java.util.Locale.ROOT);
        notifier.publish(
            new UpdateResultTask(
                id, action, CorralException.wrap(e, "container " + id + ": " + verb)));
      }
    };
  }
}
