package dev.corral.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.corral.core.BuildInfo;
import dev.corral.core.ContainerRef;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
  private final CatalogExports exports = new CatalogExports();

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
  public final Timer ringWait =
      timer("corral_task_ring_wait_seconds", "Time a task waited in the ring for the loop.");

  /** Time the loop spends handling one task. */
  public final Timer taskHandle =
      timer("corral_task_handle_seconds", "Time the loop spent handling one task.");

  /** Time from a command's submission to its answer on the API side, end to end. */
  public final Timer reply =
      timer(
          "corral_api_reply_seconds",
          "Time from an API command's submission to the ring until its answer.");

  /** Tasks refused because the ring was full (answered 503). */
  public final Counter ringFull =
      counter("corral_task_ring_full", "Tasks refused because the ring was full (answered 503).");

  /** Tasks whose handler threw. */
  public final Counter taskErrors =
      counter("corral_task_errors", "Tasks whose handler failed unexpectedly.");

  /** Init exits recorded by the loop. */
  public final Counter exits =
      counter("corral_exits", "Container init exits recorded, across all containers.");

  /** OOM kills reported (one per container at most). */
  public final Counter oomKills =
      counter(
          "corral_oom_kills",
          "OOM kills reported as events, across all containers (per container:"
              + " container_oom_events_total).");

  /** Shims that died without writing an exit code. */
  public final Counter shimLosses =
      counter("corral_shim_losses", "conmon shims that died without recording an exit code.");

  /** Live event subscribers; set by the loop. */
  public final AtomicLong subscribers = new AtomicLong();

  // The labelled series below have no exemplars: without a tracer in the daemon none could ever be
  // sampled, and the sampler still costs a scheduled task (on the client's own thread) per update.
  private final io.prometheus.metrics.core.metrics.Counter tasks =
      io.prometheus.metrics.core.metrics.Counter.builder()
          .name("corral_tasks_total")
          .help("Tasks handled by the loop, by task type.")
          .labelNames("type")
          .withoutExemplars()
          .register(prometheus);

  private final io.prometheus.metrics.core.metrics.Counter apiRequests =
      io.prometheus.metrics.core.metrics.Counter.builder()
          .name("corral_api_requests_total")
          .help("API requests answered, by route and HTTP status.")
          .labelNames("route", "status")
          .withoutExemplars()
          .register(prometheus);

  private final io.prometheus.metrics.core.metrics.Gauge containers =
      io.prometheus.metrics.core.metrics.Gauge.builder()
          .name("corral_containers")
          .help("Containers known to the supervisor, by state.")
          .labelNames("state")
          .withoutExemplars()
          .register(prometheus);

  private volatile Set<CgroupTarget> liveContainers =
      Set.of(); // written by the loop, read by scrapes

  private final io.prometheus.metrics.core.metrics.Info buildInfo =
      io.prometheus.metrics.core.metrics.Info.builder()
          .name("corral_build_info")
          .help("The corral build this daemon runs: 1, labelled by version.")
          .labelNames("version", "java_version")
          .register(prometheus);

  private final io.prometheus.metrics.core.metrics.Counter restarts =
      io.prometheus.metrics.core.metrics.Counter.builder()
          .name("corral_container_restarts_total")
          .help(
              "Restarts made by a container's restart policy, by container id (name) and namespace.")
          .labelNames("name", "namespace")
          .withoutExemplars()
          .register(prometheus);

  private final Map<String, CounterDataPoint> taskCounters = new ConcurrentHashMap<>();
  private volatile LongSupplier unjournaled = () -> 0; // set once at start
  private volatile ContainerCgroups cgroups; // set once at start

  public MetricCatalog() {
    for (Operation op : Operation.values()) {
      operation(op);
    }
    gauge("corral_event_subscribers", "Live event subscribers.", subscribers::get);
    buildInfo.addLabelValues(BuildInfo.version(), System.getProperty("java.version"));
    prometheus.register(exports);
    JvmMetrics.builder().register(prometheus);
  }

  /** The timer of {@code op}: {@code corral_container_<op>_seconds}. */
  public Timer operation(Operation op) {
    return timer(op.metricName(), op.help());
  }

  /** The restarts counter of container {@code id}; its series goes with the container's delete. */
  public CounterDataPoint restarts(ContainerRef id) {
    return restarts.labelValues(id.id(), id.namespace());
  }

  /**
   * The counter of handled tasks of one type, labelled in snake case without the {@code Task}
   * suffix: {@code AddProcessResultTask} counts as {@code
   * corral_tasks_total{type="add_process_result"}}.
   */
  public CounterDataPoint tasks(String type) {
    return taskCounters.computeIfAbsent(type, t -> tasks.labelValues(snakeCase(t)));
  }

  /** {@code AddProcessResultTask} as {@code add_process_result}. */
  static String snakeCase(String className) {
    String base =
        className.endsWith("Task") ? className.substring(0, className.length() - 4) : className;
    return base.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Counts one answered API request; {@code route} is the route's template or "unmatched". */
  public void apiRequest(String route, int status) {
    apiRequests.labelValues(route, Integer.toString(status)).inc();
  }

  /** Publishes the loop's count of containers per state (every state, zeros included). */
  public void containerStates(Map<String, Integer> countByState) {
    countByState.forEach((state, n) -> containers.labelValues(state).set(n));
  }

  /**
   * The containers whose cgroups exist, as the supervisor loop last published them (once per ring
   * batch); an immutable snapshot.
   */
  public Set<CgroupTarget> liveContainers() {
    return liveContainers;
  }

  /** Publishes the loop's containers whose cgroups exist (loop thread; any thread reads). */
  public void liveContainers(Set<CgroupTarget> ids) {
    liveContainers = Set.copyOf(ids);
  }

  /** Exposes the ring's free slots; the supplier must be safe from any thread. */
  public void ringRemainingCapacity(LongSupplier free) {
    gauge("corral_ring_remaining_capacity", "Free slots in the task ring.", free);
  }

  /**
   * Exposes the events handed out but not yet journaled ({@code corral_event_unjournaled}, above 0
   * while the disk is full); the supplier must be safe from any thread.
   */
  public void unjournaledEvents(LongSupplier count) {
    unjournaled = count;
    gauge(
        "corral_event_unjournaled",
        "Events handed out but not yet journaled (above 0 while the disk is full).",
        count);
  }

  /** Events not yet journaled, now (0 before {@link #unjournaledEvents} is wired). */
  public long unjournaledEvents() {
    return unjournaled.getAsLong();
  }

  /** Exposes the worker pool's queued jobs; the supplier must be safe from any thread. */
  public void workerQueueDepth(LongSupplier depth) {
    gauge("corral_workers_queue_depth", "Jobs waiting for a worker thread.", depth);
  }

  /** Exposes the monitor's epoll registrations; the supplier must be safe from any thread. */
  public void epollRegistrations(LongSupplier count) {
    gauge(
        "corral_monitor_epoll_registrations",
        "File descriptors the exit and OOM monitor watches.",
        count);
  }

  /** Adds a collector to the scrape. */
  public void register(MultiCollector collector) {
    prometheus.register(collector);
  }

  /** Adds the per-container cgroup metrics to the scrape; {@link #containerRetiring} feeds them. */
  public void register(ContainerCgroups cgroups) {
    this.cgroups = cgroups;
    prometheus.register(cgroups);
  }

  /**
   * A container's cgroup is about to be removed (a deleting worker, before runc delete): its last
   * reading is kept for one scrape when an OOM kill ended it ({@link ContainerCgroups#retire}).
   */
  public void containerRetiring(CgroupTarget t) {
    restarts.remove(t.ref().id(), t.ref().namespace());
    ContainerCgroups c = cgroups;
    if (c != null) {
      c.retire(t);
    }
  }

  public MetricRegistry registry() {
    return registry;
  }

  /** What a scrape reads: the Dropwizard bridge, the labelled series and added collectors. */
  public PrometheusRegistry prometheus() {
    return prometheus;
  }

  /** A timer exported as the summary {@code name}, with an exact {@code _sum}; made once. */
  private synchronized Timer timer(String name, String help) {
    Metric known = registry.getMetrics().get(name);
    if (known != null) {
      return (Timer) known;
    }
    SummingHistogram histogram = new SummingHistogram();
    Timer timer = registry.register(name, new Timer(new Meter(), histogram, Clock.defaultClock()));
    exports.timer(name, help, timer, histogram);
    return timer;
  }

  private Counter counter(String name, String help) {
    Counter c = registry.counter(name);
    exports.counter(name, help, c);
    return c;
  }

  private void gauge(String name, String help, LongSupplier value) {
    exports.gauge(name, help, value);
  }
}
