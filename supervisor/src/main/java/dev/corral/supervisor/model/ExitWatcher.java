package dev.corral.supervisor.model;

import dev.corral.core.ContainerRef;
import dev.corral.monitor.OomWatch;
import dev.corral.monitor.Watch;

/**
 * What the supervisor's workers need of the exit monitor: start and stop watching a shim, and a
 * container's memory cgroup for OOM kills. Thread-safe; called from worker threads.
 */
public interface ExitWatcher {
  public void watch(Watch w);

  public void unwatch(String key);

  /** Watches a container's memory cgroup for OOM kills; by default nothing is watched. */
  default void watchOom(OomWatch w) {}

  /** Stops the OOM watch of {@code containerId}, if any. */
  default void unwatchOom(ContainerRef containerId) {}
}
