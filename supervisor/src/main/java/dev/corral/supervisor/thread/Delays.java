package dev.corral.supervisor.thread;

import java.time.Duration;

/**
 * Runs something later, on a timer thread, so that the loop never sleeps: a restart's backoff and a
 * stop's grace period end with the timer publishing a task. Nothing is cancelled: each scheduled
 * task carries a token the loop checks, and a stale one is dropped.
 *
 * <p>Thread-safe; {@code after} may be called from the loop and must not block.
 */
public interface Delays {
  void after(Duration delay, Runnable action);
}
