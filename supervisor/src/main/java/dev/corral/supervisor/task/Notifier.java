package dev.corral.supervisor.task;

/**
 * Where the monitor and the workers send their facts: the ring, in the daemon; a queue the test
 * drains, in unit tests. Implementations may block while the ring is full (back-pressure on workers
 * is fine); they must never be called from the loop itself.
 */
public interface Notifier {
  void publish(Notification n);
}
