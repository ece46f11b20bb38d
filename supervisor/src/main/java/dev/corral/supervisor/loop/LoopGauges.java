package dev.corral.supervisor.loop;

import dev.corral.metrics.CgroupTarget;
import dev.corral.metrics.MetricCatalog;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerStatus;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.pod.PodHandler;
import dev.corral.supervisor.thread.LoopGuard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes the loop's own counts (containers by state, event subscribers) and the ids of the
 * containers whose cgroups exist into the metric catalog's thread-safe holders after every batch,
 * so a scrape never reads the loop-confined table. A walk of the table per batch is cheap at the
 * few thousand containers one host runs; it allocates nothing but the counts, and the gauges and
 * the set of targets are rebuilt only when they changed (most batches change neither).
 *
 * <p>Loop thread only; asserted.
 */
final class LoopGauges {
  private static final ContainerStatus[] STATES = ContainerStatus.values();

  private final LoopGuard guard;
  private final ContainerTable table;
  private final EventLog events;
  private final MetricCatalog metrics;
  private final List<Container> published = new ArrayList<>(); // loop thread: as last published
  private int[] publishedCounts; // loop thread: by ordinal, as last published; null before that

  LoopGauges(LoopGuard guard, ContainerTable table, EventLog events, MetricCatalog metrics) {
    this.guard = guard;
    this.table = table;
    this.events = events;
    this.metrics = metrics;
  }

  void publish() {
    assert guard.inLoop();
    int[] counts = new int[STATES.length];
    int live = 0;
    boolean sameLive = true;
    for (Container c : table.all()) {
      ContainerStatus s = c.status();
      counts[s.ordinal()]++;
      if (s != ContainerStatus.CREATING) {
        // The same containers (objects) in the same order give the same targets: a target is
        // made of a container's immutable metadata only.
        sameLive &= live < published.size() && published.get(live) == c;
        live++;
      }
    }
    if (!Arrays.equals(counts, publishedCounts)) {
      Map<String, Integer> byName = new LinkedHashMap<>();
      for (ContainerStatus s : STATES) {
        byName.put(s.wireName(), counts[s.ordinal()]);
      }
      metrics.containerStates(byName);
      publishedCounts = counts;
    }
    metrics.subscribers.set(events.subscriberCount());
    if (!sameLive || live != published.size()) {
      publishLive();
    }
  }

  /** Every container past runc create: its cgroup exists until its delete. */
  private void publishLive() {
    published.clear();
    Set<CgroupTarget> targets = new HashSet<>();
    for (Container c : table.all()) {
      if (c.status() != ContainerStatus.CREATING) {
        published.add(c);
        targets.add(
            new CgroupTarget(
                c.ref(),
                c.cgroupsPath(),
                c.meta().labels().get(PodHandler.NAME_LABEL),
                c.meta().labels().get(PodHandler.CONTAINER_LABEL)));
      }
    }
    metrics.liveContainers(targets);
  }
}
