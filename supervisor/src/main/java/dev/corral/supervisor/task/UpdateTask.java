package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;

/**
 * Change a live container: freeze it, thaw it, or change its cgroup limits. Answered with the
 * container once runc has done it.
 *
 * <p>Handled by {@link dev.corral.supervisor.update.UpdateHandler}.
 *
 * @param resources the new limits, for {@link Action#RESOURCES} only (else null)
 */
public record UpdateTask(
    String id, Action action, ResourceChange resources, Reply<ContainerView> reply)
    implements Command {
  /** What the update does; each has its event. */
  public enum Action {
    PAUSE,
    RESUME,
    RESOURCES
  }

  public UpdateTask {
    Ids.require("id", id);
    if (action == null || (action == Action.RESOURCES) != (resources != null)) {
      throw CorralException.invalidArgument("update: resources go with the resources action only");
    }
  }

  public static UpdateTask pause(String id, Reply<ContainerView> reply) {
    return new UpdateTask(id, Action.PAUSE, null, reply);
  }

  public static UpdateTask resume(String id, Reply<ContainerView> reply) {
    return new UpdateTask(id, Action.RESUME, null, reply);
  }
}
