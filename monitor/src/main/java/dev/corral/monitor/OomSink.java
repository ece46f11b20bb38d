package dev.corral.monitor;

import dev.corral.core.ContainerRef;

/**
 * Receives confirmed OOM kills. Called on the monitor thread only, at most once per watch, and
 * always before the exit of the same container that the kill caused is given to the {@link
 * ExitSink}; an implementation must not block.
 */
@FunctionalInterface
public interface OomSink {
  /** No OOM is ever reported: for a monitor that only watches exits. */
  OomSink NONE = containerId -> {};

  void oom(ContainerRef containerId);
}
