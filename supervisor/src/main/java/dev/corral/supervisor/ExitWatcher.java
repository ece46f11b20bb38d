package dev.corral.supervisor;

import dev.corral.monitor.Watch;

/**
 * What the supervisor's workers need of the exit monitor: start and stop watching a shim.
 * Thread-safe; called from worker threads.
 */
public interface ExitWatcher {
  void watch(Watch w);

  void unwatch(String key);
}
