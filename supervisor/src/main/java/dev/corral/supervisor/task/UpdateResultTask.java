package dev.corral.supervisor.task;

import dev.corral.core.CorralException;

/**
 * A worker ran the runc verb of an {@link UpdateTask}; {@code error} null on success.
 *
 * <p>Handled by {@link dev.corral.supervisor.update.UpdateHandler}.
 */
public record UpdateResultTask(String id, UpdateTask.Action action, CorralException error)
    implements Notification {}
