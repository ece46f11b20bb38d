package dev.corral.monitor;

import java.nio.file.Path;

/**
 * One process to watch for exit: a conmon (of a container's init, or of an exec).
 *
 * @param containerId the container it belongs to
 * @param processId "init", or the exec id
 * @param pid the conmon pid
 * @param exitFile where that conmon writes the exit code before it exits
 */
public record Watch(String containerId, String processId, int pid, Path exitFile) {
  /** The registration key: one watch per (container, process). */
  public String key() {
    return containerId + "/" + processId;
  }
}
