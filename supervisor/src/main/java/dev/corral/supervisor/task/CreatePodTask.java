package dev.corral.supervisor.task;

import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Make a pod: its record, its cgroup and its sandbox; answered with the pod's status once the
 * sandbox runs (ready), or with the failure (nothing left behind).
 *
 * <p>Handled by {@link dev.corral.supervisor.pod.PodHandler}.
 */
public record CreatePodTask(PodRequest request, Reply<PodStatusView> reply) implements Command {
  public CreatePodTask {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reply, "reply");
  }
}
