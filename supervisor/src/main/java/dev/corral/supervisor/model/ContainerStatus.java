package dev.corral.supervisor.model;

import java.util.Locale;

/**
 * The life of a container's init as the loop sees it. Moves forward: creating → running → stopped;
 * a failed start leaves no container at all. Running and paused (frozen) alternate, and a paused
 * container can still be killed, so paused → stopped too.
 */
public enum ContainerStatus {
  CREATING,
  RUNNING,
  PAUSED,
  STOPPED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
