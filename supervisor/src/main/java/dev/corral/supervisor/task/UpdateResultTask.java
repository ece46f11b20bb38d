package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;

/**
 * A worker ran the runc verb of an {@link UpdateTask}; {@code error} null on success.
 *
 * <p>Handled by {@link dev.corral.supervisor.update.UpdateHandler}.
 *
 * @param resources the limits {@code runc update} applied, for a resources update (else null)
 */
public record UpdateResultTask(
    ContainerRef id, UpdateTask.Action action, ResourceChange resources, CorralException error)
    implements Notification {
  /** A pause or resume. */
  public UpdateResultTask(ContainerRef id, UpdateTask.Action action, CorralException error) {
    this(id, action, null, error);
  }
}
