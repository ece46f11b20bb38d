package dev.corral.supervisor.model;

import java.util.Locale;

/**
 * The life of a container's init as the loop sees it. Moves forward: creating → running → stopped;
 * a failed start leaves no container at all. Running and paused (frozen) alternate, and a paused
 * container can still be killed, so paused → stopped too.
 *
 * <p>{@link #UNKNOWN} is a container found at start whose records were damaged while runc showed it
 * running, and whose shim could not be identified: it is left running, unwatched, and allows only
 * GET, signals (runc kill) and a forced delete. It never moves to another status.
 */
public enum ContainerStatus {
  CREATING,
  RUNNING,
  PAUSED,
  STOPPED,
  UNKNOWN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
