package dev.corral.supervisor.task;

import dev.corral.state.ExecRecord;
import dev.corral.supervisor.recovery.ExecRecovery;
import java.util.Objects;

/**
 * An exec as found by a restarted daemon: its record, and its exit once it no longer runs.
 * Immutable; built off the loop by {@link ExecRecovery}.
 *
 * @param record what was written when it started (with its exit, if that was reported)
 * @param exit null while it runs
 */
public record RecoveredExec(ExecRecord record, RecoveredContainer.Exit exit) {
  public RecoveredExec {
    Objects.requireNonNull(record, "record");
  }

  public String id() {
    return record.execId();
  }

  public boolean running() {
    return exit == null;
  }

  /**
   * It exited but its record does not say the exit was reported: the journal decides whether the
   * last daemon reported it before it died.
   */
  public boolean exitUnrecorded() {
    return exit != null && !record.exited();
  }
}
