package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.runtime.ExecStarted;

/**
 * A worker finished starting an exec: {@code started} on success, else {@code error} (and the
 * worker has already removed what it made). Handled by {@link
 * dev.corral.supervisor.exec.ProcessHandler}.
 */
public record AddProcessResultTask(
    ContainerRef id, String processId, ExecStarted started, CorralException error)
    implements Notification {}
