package dev.corral.supervisor.model;

/**
 * Told by the loop when a container's init starts running and when its exit is recorded, like
 * containerd's {@code TaskMonitor}: the restart policy is one, and others (a test's, a metric's)
 * are added in {@code EventLoop} without touching the handlers. Each call comes after the event it
 * describes was emitted.
 *
 * <p>Called on the supervisor loop thread only; an implementation must not block.
 */
public interface ContainerMonitor {
  /** The init runs: created, started by a user, or restarted by its policy. */
  void started(Container c);

  /** The init's exit is recorded ({@code c} is stopped). */
  void exited(Container c);

  /** The container was found in the state dir at daemon start (running, or stopped). */
  default void recovered(Container c) {}
}
