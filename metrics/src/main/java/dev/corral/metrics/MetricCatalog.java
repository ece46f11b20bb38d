package dev.corral.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Every metric corral keeps, named in one place. Unlabelled timers, counters and gauges are
 * Dropwizard metrics, exported by the official Prometheus Dropwizard bridge: a dotted name such as
 * {@code corral.container.create.seconds} becomes {@code corral_container_create_seconds}, a
 * summary in seconds; a counter gets {@code _total} from the text writer. The few labelled series
 * (tasks by type, API requests by route and status, containers by state) are native Prometheus
 * client metrics in the same {@link PrometheusRegistry}, because the bridge gives every Dropwizard
 * metric a name of its own.
 *
 * <p>Thread-safe: metrics are updated from the loop, the workers, the monitor and API threads, and
 * read by the scraping thread. Gauges never read loop-confined state: the loop publishes its counts
 * into atomics ({@link #containerStates}, {@link #subscribers}) and the scrape reads those.
 */
public final class MetricCatalog {
  private final MetricRegistry registry = new MetricRegistry();
  private final PrometheusRegistry prometheus = new PrometheusRegistry();

  /** Create through conmon + runc create, up to the init pid (worker). */
  public final Timer create = operation(Operation.CREATE);

  /** runc start (worker). */
  public final Timer start = operation(Operation.START);

  /** runc kill (worker). */
  public final Timer signal = operation(Operation.SIGNAL);

  /** runc delete + state removal (worker). */
  public final Timer delete = operation(Operation.DELETE);

  /** Handling of an exit on the loop. */
  public final Timer exit = operation(Operation.EXIT);

  /** Time a task waits in the ring before the loop takes it. */
  public final Timer ringWait = registry.timer("corral.task.ring_wait.seconds");

  /** Time the loop spends handling one task. */
  public final Timer taskHandle = registry.timer("corral.task.handle.seconds");

  /** Time from a command's submission to its answer on the API side, end to end. */
  public final Timer reply = registry.timer("corral.api.reply.seconds");

  /** Tasks refused because the ring was full (answered 503). */
  public final Counter ringFull = registry.counter("corral.task.ring_full");

  /** Tasks whose handler threw. */
  public final Counter taskErrors = registry.counter("corral.task.errors");

  /** Init exits recorded by the loop. */
  public final Counter exits = registry.counter("corral.container.exits");

  /** OOM kills reported (one per container at most). */
  public final Counter oomKills = registry.counter("corral.container.oom_kills");

  /** Shims that died without writing an exit code. */
  public final Counter shimLosses = registry.counter("corral.container.shim_losses");

  /** Live event subscribers; set by the loop. */
  public final AtomicLong subscribers = new AtomicLong();

  private final io.prometheus.metrics.core.metrics.Counter tasks =
      io.prometheus.metrics.core.metrics.Counter.builder()
          .name("corral_tasks_total")
          .help("Tasks handled by the loop, by task type.")
          .labelNames("type")
          .register(prometheus);

  private final io.prometheus.metrics.core.metrics.Counter apiRequests =
      io.prometheus.metrics.core.metrics.Counter.builder()
          .name("corral_api_requests_total")
          .help("API requests answered, by route and HTTP status.")
          .labelNames("route", "status")
          .register(prometheus);

  private final io.prometheus.metrics.core.metrics.Gauge containers =
      io.prometheus.metrics.core.metrics.Gauge.builder()
          .name("corral_containers")
          .help("Containers known to the supervisor, by state.")
          .labelNames("state")
          .register(prometheus);

  private final Set<String> liveContainers = ConcurrentHashMap.newKeySet();
  private volatile LongSupplier unjournaled = () -> 0; // set once at start

  public MetricCatalog() {
    gauge("corral.event.subscribers", subscribers::get);
    DropwizardExports.builder().dropwizardRegistry(registry).register(prometheus);
  }

  /** The timer of {@code op}, registered on first use. */
  public Timer operation(Operation op) {
    return registry.timer(op.dropwizardName());
  }

  /**
   * The counter of handled tasks of one type, e.g. {@code corral_tasks_total{type="StartTask"}}.
   */
  public CounterDataPoint tasks(String type) {
    return tasks.labelValues(type);
  }

  /** Counts one answered API request; {@code route} is the route's template or "unmatched". */
  public void apiRequest(String route, int status) {
    apiRequests.labelValues(route, Integer.toString(status)).inc();
  }

  /** Publishes the loop's count of containers per state (every state, zeros included). */
  public void containerStates(Map<String, Integer> countByState) {
    countByState.forEach((state, n) -> containers.labelValues(state).set(n));
  }

  /** A container's cgroup exists from now on (after runc create; worker). */
  public void containerCreated(String id) {
    liveContainers.add(id);
  }

  /** A container's cgroup is about to go (before runc delete; worker). */
  public void containerRemoved(String id) {
    liveContainers.remove(id);
  }

  /** The containers whose cgroups exist: a live, thread-safe, read-only view. */
  public Set<String> liveContainers() {
    return Collections.unmodifiableSet(liveContainers);
  }

  /** Exposes the ring's free slots; the supplier must be safe from any thread. */
  public void ringRemainingCapacity(LongSupplier free) {
    gauge("corral.ring.remaining_capacity", free);
  }

  /**
   * Exposes the events handed out but not yet journaled ({@code corral_event_unjournaled}, above 0
   * while the disk is full); the supplier must be safe from any thread.
   */
  public void unjournaledEvents(LongSupplier count) {
    unjournaled = count;
    gauge("corral.event.unjournaled", count);
  }

  /** Events not yet journaled, now (0 before {@link #unjournaledEvents} is wired). */
  public long unjournaledEvents() {
    return unjournaled.getAsLong();
  }

  /** Exposes the worker pool's queued jobs; the supplier must be safe from any thread. */
  public void workerQueueDepth(LongSupplier depth) {
    gauge("corral.workers.queue_depth", depth);
  }

  /** Exposes the monitor's epoll registrations; the supplier must be safe from any thread. */
  public void epollRegistrations(LongSupplier count) {
    gauge("corral.monitor.epoll_registrations", count);
  }

  /** Adds a collector (per-container cgroup metrics) to the scrape. */
  public void register(MultiCollector collector) {
    prometheus.register(collector);
  }

  public MetricRegistry registry() {
    return registry;
  }

  /** What a scrape reads: the Dropwizard bridge, the labelled series and added collectors. */
  public PrometheusRegistry prometheus() {
    return prometheus;
  }

  private void gauge(String name, LongSupplier value) {
    registry.remove(name);
    registry.register(name, new SuppliedGauge(value));
  }

  /** A named class, not a lambda: the bridge puts the gauge's class name into its HELP text. */
  private static final class SuppliedGauge implements Gauge<Long> {
    private final LongSupplier value;

    SuppliedGauge(LongSupplier value) {
      this.value = value;
    }

    @Override
    public Long getValue() {
      return value.getAsLong();
    }
  }
}
