package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.Created;
import java.time.Instant;

/**
 * A worker finished starting a container: {@code created} (and {@code spec}, what its inspect
 * shows) on success, else {@code error} (and the worker has already removed what it made).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.StartHandler}.
 */
public record StartResultTask(
    ContainerRef id, Created created, Instant startedAt, SpecView spec, CorralException error)
    implements Notification {
  public static StartResultTask ok(ContainerRef id, Created created, Instant startedAt) {
    return ok(id, created, startedAt, null);
  }

  /** Started, with its spec as read back from the daemon's bundle (null when unreadable). */
  public static StartResultTask ok(
      ContainerRef id, Created created, Instant startedAt, SpecView spec) {
    return new StartResultTask(id, created, startedAt, spec, null);
  }

  public static StartResultTask failed(ContainerRef id, CorralException error) {
    return new StartResultTask(id, null, null, null, error);
  }
}
