package dev.corral.supervisor.recovery;

import dev.corral.runtime.Created;
import dev.corral.state.ContainerRecord;
import dev.corral.state.StatusRecord;
import dev.corral.supervisor.exit.ExitHandler;
import dev.corral.supervisor.task.RecoveredContainer;
import java.time.Instant;
import java.util.Optional;

/**
 * A container whose runtime half ({@code STATE/namespaces/NS/containers/ID}) is gone while its
 * record in {@code --root} is there: the host restarted and emptied the tmpfs, and with it the
 * container's processes, runc state and conmon's exit file. It ends with code 255 and reason {@code
 * host-restart}, as containerd reports a task lost to a reboot; a container whose exit was already
 * recorded keeps that exit.
 *
 * <p>Stateless; any thread.
 */
final class HostRestart {
  /** The reason on the exit of a container whose host restarted under it. */
  static final String REASON = "host-restart";

  private HostRestart() {}

  static RecoveredContainer resolve(
      ContainerRecord meta, Optional<StatusRecord> status, Instant now) {
    int pid = status.map(StatusRecord::pid).orElse(0);
    Created created = new Created(pid, 0, 0);
    Instant startedAt = Instant.parse(startedAt(meta, status));
    if (status.isPresent() && "stopped".equals(status.get().status())) {
      StatusRecord s = status.get();
      Instant at = s.exitedAt() == null ? Instant.EPOCH : Instant.parse(s.exitedAt());
      RecoveredContainer.Exit before = new RecoveredContainer.Exit(s.exitCode(), at, s.reason());
      return new RecoveredContainer(meta, created, startedAt, before, false);
    }
    RecoveredContainer.Exit exit =
        new RecoveredContainer.Exit(ExitHandler.UNKNOWN_EXIT, now, REASON);
    return new RecoveredContainer(meta, created, startedAt, exit, true);
  }

  private static String startedAt(ContainerRecord meta, Optional<StatusRecord> status) {
    String at = status.map(StatusRecord::startedAt).orElse(null);
    return at != null ? at : meta.createdAt();
  }
}
