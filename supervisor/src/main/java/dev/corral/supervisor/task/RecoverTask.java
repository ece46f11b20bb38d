package dev.corral.supervisor.task;

import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Objects;

/**
 * Put the containers found in {@code --root} at start into the table, before the API serves.
 * Published once by the daemon, which waits for the reply; the scanning was done off the loop.
 *
 * <p>Handled by {@link dev.corral.supervisor.recovery.RecoverHandler}.
 */
public record RecoverTask(List<RecoveredContainer> containers, Reply<Void> reply)
    implements Command {
  public RecoverTask {
    containers = List.copyOf(containers);
    Objects.requireNonNull(reply, "reply");
  }
}
