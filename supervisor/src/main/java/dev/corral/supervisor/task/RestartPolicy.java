package dev.corral.supervisor.task;

import dev.corral.core.CorralException;
import java.util.Locale;

/**
 * When an exited container is started again, with Docker's semantics. The wire record of {@code
 * restartPolicy} (at create and in {@code PATCH /v1/containers/{id}}); it validates in its compact
 * constructor, naming the field, so bad input never enters the ring. Immutable.
 *
 * @param name {@code no}, {@code always}, {@code on-failure} or {@code unless-stopped}
 * @param maximumRetryCount for {@code on-failure} only: at most this many restarts; 0 is no limit
 */
public record RestartPolicy(String name, int maximumRetryCount) {
  public static final RestartPolicy NO = new RestartPolicy("no", 0);

  /** The policy names, as on the wire. */
  public enum Name {
    NO,
    ALWAYS,
    ON_FAILURE,
    UNLESS_STOPPED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public RestartPolicy {
    Name n = parse(name);
    if (maximumRetryCount < 0) {
      throw CorralException.invalidArgument(
          "restartPolicy.maximumRetryCount: must be 0 or more, not %d", maximumRetryCount);
    }
    if (maximumRetryCount > 0 && n != Name.ON_FAILURE) {
      throw CorralException.invalidArgument(
          "restartPolicy.maximumRetryCount: applies to on-failure only, not \"%s\"", name);
    }
  }

  private static Name parse(String name) {
    for (Name n : Name.values()) {
      if (n.wireName().equals(name)) {
        return n;
      }
    }
    throw CorralException.invalidArgument(
        "restartPolicy.name: \"%s\" is not no, always, on-failure or unless-stopped", name);
  }

  public Name kind() {
    return parse(name);
  }

  /**
   * Whether an exit with {@code exitCode} is followed by a restart, after {@code restartCount}
   * restarts. A user's stop or signal ({@code userStopped}) suppresses every policy until the next
   * start, as in Docker's restart manager.
   */
  public boolean restartsAfter(int exitCode, int restartCount, boolean userStopped) {
    if (userStopped) {
      return false;
    }
    return switch (kind()) {
      case NO -> false;
      case ALWAYS, UNLESS_STOPPED -> true;
      case ON_FAILURE -> exitCode != 0 && withinCount(restartCount);
    };
  }

  /**
   * Whether a container found stopped when the daemon starts is started again. Docker's rule:
   * {@code always} is, even after a user's stop; {@code unless-stopped} only when no user stopped
   * it; {@code on-failure} after a failure within its count, unless a user stopped it.
   */
  public boolean restartsAtDaemonStart(int exitCode, int restartCount, boolean userStopped) {
    return switch (kind()) {
      case NO -> false;
      case ALWAYS -> true;
      case UNLESS_STOPPED -> !userStopped;
      case ON_FAILURE -> !userStopped && exitCode != 0 && withinCount(restartCount);
    };
  }

  private boolean withinCount(int restartCount) {
    return maximumRetryCount == 0 || restartCount < maximumRetryCount;
  }
}
