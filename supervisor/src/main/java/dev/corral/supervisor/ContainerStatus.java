package dev.corral.supervisor;

import java.util.Locale;

/**
 * The life of a container's init as the loop sees it. Moves only forward: creating → running →
 * stopped; a failed start leaves no container at all.
 */
public enum ContainerStatus {
  CREATING,
  RUNNING,
  STOPPED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
