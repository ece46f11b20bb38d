package dev.corral.supervisor.task;

import dev.corral.supervisor.ContainerView;
import dev.corral.supervisor.CreateRequest;
import dev.corral.supervisor.Reply;
import java.util.Objects;

/** Create and start a container; answered with the running container (or the failure). */
public record StartTask(CreateRequest request, Reply<ContainerView> reply) implements Command {
  public StartTask {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reply, "reply");
  }
}
