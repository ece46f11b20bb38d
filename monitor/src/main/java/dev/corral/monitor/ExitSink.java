package dev.corral.monitor;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * Receives what the monitor observed. Called on the monitor thread only; an implementation must not
 * block (the supervisor's sink publishes a task to its ring).
 */
public interface ExitSink {
  /**
   * The watched process is gone.
   *
   * @param watch what was registered
   * @param exitCode the code read from the exit file, empty when the file is missing or unreadable
   *     (the shim died without writing it)
   * @param exitedAt the exit file's modification time, or the time of observation without one
   */
  void exited(Watch watch, OptionalInt exitCode, Instant exitedAt);
}
