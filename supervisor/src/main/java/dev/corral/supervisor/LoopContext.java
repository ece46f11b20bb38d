package dev.corral.supervisor;

import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.event.EventLog;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every handler shares: the table, the event log, the worker pool and the jobs. Built once;
 * the loop-confined parts assert their own thread.
 */
record LoopContext(
    LoopGuard guard,
    ContainerTable table,
    EventLog events,
    Executor workers,
    ContainerJobs jobs,
    StatusWriter status,
    MetricCatalog metrics,
    Clock clock) {

  /** The container or not_found. */
  Container require(String id) {
    Container c = table.get(id);
    if (c == null) {
      throw dev.corral.core.CorralException.notFound("container %s: not found", id);
    }
    return c;
  }

  void persist(Container c) {
    status.write(c.id(), c.statusRecord());
  }
}
