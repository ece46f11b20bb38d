package dev.corral.supervisor.task;

import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Objects;

/**
 * Lists every namespace the daemon knows, {@code default} always among them, sorted by name.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.NamespaceHandler}.
 */
public record ListNamespacesTask(Reply<List<NamespaceView>> reply) implements Command {
  public ListNamespacesTask {
    Objects.requireNonNull(reply, "reply");
  }
}
