package dev.corral.supervisor.task;

import dev.corral.core.Ids;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Change a container's restart policy ({@code PATCH /v1/containers/{id}}); answered with the
 * container. The restart count is kept.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record UpdateRestartPolicyTask(String id, RestartPolicy policy, Reply<ContainerView> reply)
    implements Command {
  public UpdateRestartPolicyTask {
    Ids.require("id", id);
    Objects.requireNonNull(policy, "policy");
  }
}
