package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;

/**
 * A stop's grace period is over: the timer thread asks the loop to KILL the container if the run
 * that was asked to stop ({@code token}) still lives.
 *
 * <p>Handled by {@link dev.corral.supervisor.restart.StopHandler}.
 */
public record StopTimeoutTask(ContainerRef id, long token) implements Notification {}
