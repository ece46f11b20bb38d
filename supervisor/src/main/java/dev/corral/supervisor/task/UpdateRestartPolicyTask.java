package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Change a container's restart policy ({@code PATCH /v1/containers/{id}}); answered with the
 * container. The restart count is kept.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record UpdateRestartPolicyTask(
    ContainerRef id, RestartPolicy policy, Reply<ContainerView> reply) implements Command {
  public UpdateRestartPolicyTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(policy, "policy");
  }
}
