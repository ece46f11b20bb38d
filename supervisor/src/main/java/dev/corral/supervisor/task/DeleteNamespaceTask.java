package dev.corral.supervisor.task;

import dev.corral.core.Namespaces;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Removes an empty namespace: its directories and its parent cgroup. not_found when the daemon does
 * not know it; failed_precondition when it holds a container or a pod, or is {@code default}.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.NamespaceHandler}.
 */
public record DeleteNamespaceTask(String namespace, Reply<Void> reply) implements Command {
  public DeleteNamespaceTask {
    Namespaces.require("namespace", namespace);
    Objects.requireNonNull(reply, "reply");
  }
}
