package dev.corral.supervisor.task;

import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Objects;

/**
 * The pods of {@code namespace}, grouped from their containers' pod labels as the kubelet's {@code
 * GetPods} does: running containers only unless {@code all}, and a pod with none of those left out.
 *
 * <p>Handled by {@link dev.corral.supervisor.pod.PodHandler}.
 */
public record ListPodsTask(String namespace, boolean all, Reply<List<PodStatusView>> reply)
    implements Command {
  public ListPodsTask {
    Namespaces.require("namespace", namespace);
    Objects.requireNonNull(reply, "reply");
  }
}
