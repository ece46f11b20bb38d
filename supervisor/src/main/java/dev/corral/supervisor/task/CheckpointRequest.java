package dev.corral.supervisor.task;

import dev.corral.runtime.CheckpointOptions;

/**
 * What a user may ask of a checkpoint (the body of {@code POST .../checkpoints} beside its name).
 *
 * <p>Immutable.
 *
 * @param leaveRunning keep the container running after the dump
 * @param tcpEstablished allow open TCP connections
 * @param unixSockets allow external unix sockets
 * @param shell allow shell jobs (a process with a controlling terminal)
 */
public record CheckpointRequest(
    boolean leaveRunning, boolean tcpEstablished, boolean unixSockets, boolean shell) {
  /** As the runtime takes it. */
  public CheckpointOptions spec() {
    return new CheckpointOptions(leaveRunning, tcpEstablished, unixSockets, shell);
  }
}
