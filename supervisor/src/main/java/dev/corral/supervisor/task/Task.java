package dev.corral.supervisor.task;

/**
 * Everything the supervisor loop does arrives as a Task: an immutable record published to the ring
 * by an API thread, the monitor thread or a worker, and handled on the loop thread alone. {@link
 * Command}s are asked for by a client and carry a reply; {@link Notification}s are facts (an exit,
 * a worker's result) and carry none.
 */
public sealed interface Task permits Command, Notification {}
