package dev.corral.supervisor.task;

import dev.corral.core.ContainerRef;
import dev.corral.state.RestartRecord;
import dev.corral.supervisor.thread.Reply;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Put the containers found in {@code --root} at start into the table, before the API serves, and
 * report the container directories moved to quarantine. {@code restarts} holds the restart records
 * found ({@code restart.json}), by container id. Published once by the daemon, which waits for the
 * reply; the scanning was done off the loop.
 *
 * <p>Handled by {@link dev.corral.supervisor.recovery.RecoverHandler}.
 */
public record RecoverTask(
    List<RecoveredContainer> containers,
    List<Quarantined> quarantined,
    Map<ContainerRef, RestartRecord> restarts,
    List<String> namespaces,
    Reply<Void> reply)
    implements Command {
  /**
   * A container directory moved to quarantine, and why (reported by a {@code quarantine} event).
   */
  public record Quarantined(ContainerRef id, String reason) {
    public Quarantined {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public RecoverTask {
    containers = List.copyOf(containers);
    quarantined = List.copyOf(quarantined);
    restarts = Map.copyOf(restarts);
    namespaces = List.copyOf(namespaces);
    Objects.requireNonNull(reply, "reply");
  }

  /** Containers to recover, with their restart records; no namespace without a container. */
  public RecoverTask(
      List<RecoveredContainer> containers,
      List<Quarantined> quarantined,
      Map<ContainerRef, RestartRecord> restarts,
      Reply<Void> reply) {
    this(containers, quarantined, restarts, List.of(), reply);
  }

  /** Containers to recover and quarantined directories; none has a restart policy. */
  public RecoverTask(
      List<RecoveredContainer> containers, List<Quarantined> quarantined, Reply<Void> reply) {
    this(containers, quarantined, Map.of(), reply);
  }

  /** Containers to recover, nothing quarantined. */
  public RecoverTask(List<RecoveredContainer> containers, Reply<Void> reply) {
    this(containers, List.of(), reply);
  }
}
