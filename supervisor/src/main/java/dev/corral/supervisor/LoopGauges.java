package dev.corral.supervisor;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes the loop's own counts (containers by state, event subscribers) into the metric
 * catalog's thread-safe gauges after every task, so a scrape never reads the loop-confined table. A
 * walk of the table per task is cheap at the few thousand containers one host runs.
 *
 * <p>Loop thread only.
 */
final class LoopGauges {
  private LoopGauges() {}

  static void publish(LoopContext ctx) {
    assert ctx.guard().inLoop();
    Map<ContainerStatus, Integer> counts = new EnumMap<>(ContainerStatus.class);
    for (ContainerStatus s : ContainerStatus.values()) {
      counts.put(s, 0);
    }
    ctx.table().all().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
    Map<String, Integer> byName = new LinkedHashMap<>();
    counts.forEach((s, n) -> byName.put(s.wireName(), n));
    ctx.metrics().containerStates(byName);
    ctx.metrics().subscribers.set(ctx.events().subscriberCount());
  }
}
