package dev.corral.supervisor.task;

/**
 * The timer's turn: status requests whose timeout passed are answered "not modified".
 *
 * <p>Handled by {@link dev.corral.supervisor.pod.PodHandler}.
 */
public record PodWaitsExpireTask() implements Notification {}
