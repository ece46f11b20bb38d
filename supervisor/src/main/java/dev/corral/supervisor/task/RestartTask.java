package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;

/**
 * A restart's backoff is over: the timer thread asks the loop to run the container again. {@code
 * token} names the restart that was scheduled; one cancelled since (a stop, a start, a delete) does
 * not match and is dropped.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.RestartHandler}.
 */
public record RestartTask(ContainerRef id, long token) implements Notification {}
