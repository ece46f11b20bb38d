package dev.corral.supervisor.task;

/**
 * A subscriber's client went away: drop it now rather than at the next event.
 *
 * <p>Handled by {@link dev.corral.supervisor.loop.EventLoop}.
 */
public record UnsubscribeTask(long subscriberId) implements Notification {}
