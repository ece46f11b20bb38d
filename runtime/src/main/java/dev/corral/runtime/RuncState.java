package dev.corral.runtime;

/**
 * What {@code runc state ID} reports. Immutable.
 *
 * @param status runc's status word: creating, created, running, paused, stopped
 * @param pid the init pid (0 when stopped)
 * @param created when runc created the container (RFC 3339 with nanoseconds), or null when runc did
 *     not say
 */
public record RuncState(String id, String status, int pid, String created) {
  /** A state without a creation time. */
  public RuncState(String id, String status, int pid) {
    this(id, status, pid, null);
  }

  /** Whether the init is alive: running, or paused (frozen). */
  public boolean alive() {
    return "running".equals(status) || "paused".equals(status);
  }
}
