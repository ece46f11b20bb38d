package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import dev.corral.runtime.Created;
import java.time.Instant;

/**
 * A worker finished starting a container: {@code created} on success, else {@code error} (and the
 * worker has already removed what it made).
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.StartHandler}.
 */
public record StartResultTask(String id, Created created, Instant startedAt, CorralException error)
    implements Notification {
  public static StartResultTask ok(String id, Created created, Instant startedAt) {
    return new StartResultTask(id, created, startedAt, null);
  }

  public static StartResultTask failed(String id, CorralException error) {
    return new StartResultTask(id, null, null, error);
  }
}
