package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Change a live container: freeze it, thaw it, or change its cgroup limits. Answered with the
 * container once runc has done it.
 *
 * <p>Handled by {@link dev.corral.supervisor.update.UpdateHandler}.
 *
 * @param resources the new limits, for {@link Action#RESOURCES} only (else null)
 */
public record UpdateTask(
    ContainerRef id, Action action, ResourceChange resources, Reply<ContainerView> reply)
    implements Command {
  /** What the update does; each has its event. */
  public enum Action {
    PAUSE,
    RESUME,
    RESOURCES
  }

  public UpdateTask {
    Objects.requireNonNull(id, "id");
    if (action == null || (action == Action.RESOURCES) != (resources != null)) {
      throw CorralException.invalidArgument("update: resources go with the resources action only");
    }
  }

  public static UpdateTask pause(ContainerRef id, Reply<ContainerView> reply) {
    return new UpdateTask(id, Action.PAUSE, null, reply);
  }

  public static UpdateTask resume(ContainerRef id, Reply<ContainerView> reply) {
    return new UpdateTask(id, Action.RESUME, null, reply);
  }
}
