package dev.corral.supervisor.task;

import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Create and start a container; answered with the running container (or the failure).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.StartHandler}.
 */
public record StartTask(
    CreateRequest request, RestartPolicy restartPolicy, Reply<ContainerView> reply)
    implements Command {
  public StartTask {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(restartPolicy, "restartPolicy");
    Objects.requireNonNull(reply, "reply");
  }

  /** A container with the restart policy {@code no}. */
  public StartTask(CreateRequest request, Reply<ContainerView> reply) {
    this(request, RestartPolicy.NO, reply);
  }
}
