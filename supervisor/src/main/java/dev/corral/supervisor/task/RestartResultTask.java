package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.Created;
import java.time.Instant;

/**
 * A worker finished running a stopped container again: {@code created} on success, else {@code
 * error} (and the container is as stopped as before, its old exit kept).
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record RestartResultTask(
    ContainerRef id, long token, Created created, Instant startedAt, CorralException error)
    implements Notification {
  public static RestartResultTask ok(ContainerRef id, long token, Created created, Instant at) {
    return new RestartResultTask(id, token, created, at, null);
  }

  public static RestartResultTask failed(ContainerRef id, long token, CorralException error) {
    return new RestartResultTask(id, token, null, null, error);
  }
}
