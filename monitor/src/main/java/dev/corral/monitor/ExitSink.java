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
   * @param exitCode the code the kernel kept for the shim's child (when the watch names one and the
   *     kernel offers it), else the code read from the exit file; empty when neither has one (the
   *     shim died without writing it)
   * @param exitedAt when the kernel's code was seen, else the exit file's modification time, else
   *     the time of observation
   */
  void exited(Watch watch, OptionalInt exitCode, Instant exitedAt);
}
