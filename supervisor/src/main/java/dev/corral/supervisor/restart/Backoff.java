package dev.corral.supervisor.restart;

import dev.corral.core.CorralException;
import java.time.Duration;

/**
 * The wait before a restart: {@code floor} doubled per consecutive restart, capped at {@code max}
 * (Docker's restart manager). A run of at least {@link #RESET_AFTER} starts the doubling again.
 * Immutable.
 */
public record Backoff(Duration floor, Duration max) {
  public static final Backoff DEFAULTS = new Backoff(Duration.ofMillis(100), Duration.ofMinutes(1));

  /** A run at least this long resets the backoff to its floor. */
  public static final Duration RESET_AFTER = Duration.ofSeconds(10);

  public Backoff {
    if (floor == null || floor.toMillis() < 1) {
      throw CorralException.invalidArgument("restart-backoff: must be at least 1ms, not %s", floor);
    }
    if (max == null || max.compareTo(floor) < 0) {
      throw CorralException.invalidArgument(
          "restart-backoff-max: must be at least restart-backoff (%s), not %s", floor, max);
    }
  }

  /** The wait before the restart that follows {@code consecutive} restarts in a row. */
  public Duration delay(int consecutive) {
    Duration d = floor;
    for (int i = 0; i < consecutive && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /** Whether a run from {@code started} to {@code exited} was long enough to reset the backoff. */
  public static boolean ranLongEnough(java.time.Instant started, java.time.Instant exited) {
    return started != null
        && exited != null
        && Duration.between(started, exited).compareTo(RESET_AFTER) >= 0;
  }
}
