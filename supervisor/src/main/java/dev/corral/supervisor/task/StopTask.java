package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.supervisor.thread.Reply;
import java.util.Objects;

/**
 * Stop a container as its user: its stop signal, then KILL after {@code timeoutSeconds}; no restart
 * policy starts it again until the next start. Answered with the container once it has exited (at
 * once when it is stopped already).
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.StopHandler}.
 */
public record StopTask(ContainerRef id, int timeoutSeconds, Reply<ContainerView> reply)
    implements Command {
  public static final int DEFAULT_TIMEOUT = 10;
  public static final int MAX_TIMEOUT = 3600;

  public StopTask {
    Objects.requireNonNull(id, "id");
    if (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT) {
      throw CorralException.invalidArgument(
          "timeout: must be 0..%d seconds, not %d", MAX_TIMEOUT, timeoutSeconds);
    }
  }
}
