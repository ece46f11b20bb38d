package dev.corral.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every metric corral keeps, named in one place. Dropwizard names are dotted; the Prometheus bridge
 * turns {@code corral.container.create} into {@code corral_container_create_seconds}.
 *
 * <p>Thread-safe: Dropwizard metrics are updated from the loop, the workers and API threads, and
 * read by the scraper.
 */
public final class MetricCatalog {
  private final MetricRegistry registry = new MetricRegistry();

  /** Create through conmon + runc create, up to the init pid (worker). */
  public final Timer create = registry.timer("corral.container.create");

  /** runc start (worker). */
  public final Timer start = registry.timer("corral.container.start");

  /** runc kill (worker). */
  public final Timer signal = registry.timer("corral.container.signal");

  /** runc delete + state removal (worker). */
  public final Timer delete = registry.timer("corral.container.delete");

  /** Handling of an exit on the loop. */
  public final Timer exit = registry.timer("corral.container.exit");

  /** Time a task waits in the ring before the loop takes it. */
  public final Timer ringWait = registry.timer("corral.task.ring_wait");

  /** Time the loop spends handling one task. */
  public final Timer taskHandle = registry.timer("corral.task.handle");

  /** Tasks refused because the ring was full (answered 503). */
  public final Counter ringFull = registry.counter("corral.task.ring_full");

  /** Tasks whose handler threw. */
  public final Counter taskErrors = registry.counter("corral.task.errors");

  /**
   * Open event stream subscriptions. Set by the loop whenever the count changes; an atomic, so the
   * scraper reads it safely from its own thread.
   */
  public final AtomicInteger eventSubscribers = new AtomicInteger();

  {
    registry.register("corral.events.subscribers", (Gauge<Integer>) eventSubscribers::get);
  }

  public MetricRegistry registry() {
    return registry;
  }

  /** A counter of handled tasks of one type, e.g. {@code corral.tasks.StartTask}. */
  public Counter tasks(String type) {
    return registry.counter("corral.tasks." + type);
  }
}
