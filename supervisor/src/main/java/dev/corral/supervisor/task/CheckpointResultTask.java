package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;

/**
 * A worker finished a checkpoint: {@code view} on success, else {@code error}.
 *
 * <p>Handled by {@link dev.corral.supervisor.checkpoint.CheckpointHandler}.
 */
public record CheckpointResultTask(ContainerRef id, CheckpointView view, CorralException error)
    implements Notification {}
