package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;

/**
 * A worker finished removing a container's runc state and files; {@code error} null on success.
 *
 * <p>Handled by {@link dev.corral.supervisor.lifecycle.DeleteHandler}.
 */
public record DeleteResultTask(ContainerRef id, CorralException error) implements Notification {}
