package dev.corral.supervisor.loop;

import dev.corral.metrics.CgroupTarget;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.pod.PodHandler;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the loop's own counts (containers by state, event subscribers) and the ids of the
 * containers whose cgroups exist into the metric catalog's thread-safe holders after every batch,
 * so a scrape never reads the loop-confined table. A walk of the table per batch is cheap at the
 * few thousand containers one host runs.
 *
 * <p>Loop thread only; asserted.
 */
final class LoopGauges {
  private final LoopGuard guard;
  private final ContainerTable table;
  private final EventLog events;
  private final MetricCatalog metrics;

  LoopGauges(LoopGuard guard, ContainerTable table, EventLog events, MetricCatalog metrics) {
    this.guard = guard;
    this.table = table;
    this.events = events;
    this.metrics = metrics;
  }

  void publish() {
    assert guard.inLoop();
    Map<ContainerStatus, Integer> counts = new EnumMap<>(ContainerStatus.class);
    for (ContainerStatus s : ContainerStatus.values()) {
      counts.put(s, 0);
    }
    table.all().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
    Map<String, Integer> byName = new LinkedHashMap<>();
    counts.forEach((s, n) -> byName.put(s.wireName(), n));
    metrics.containerStates(byName);
    metrics.subscribers.set(events.subscriberCount());
    metrics.liveContainers(withCgroups());
  }

  /** Every container past runc create: its cgroup exists until its delete. */
  private Set<CgroupTarget> withCgroups() {
    return table.all().stream()
        .filter(c -> c.status() != ContainerStatus.CREATING)
        .map(
            c ->
                new CgroupTarget(
                    c.ref(),
                    c.cgroupsPath(),
                    c.meta().labels().get(PodHandler.NAME_LABEL),
                    c.meta().labels().get(PodHandler.CONTAINER_LABEL)))
        .collect(Collectors.toUnmodifiableSet());
  }
}
