package dev.corral.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-container resource metrics under cAdvisor's family and label names ({@code
 * container_cpu_usage_seconds_total{id="/corral/default/c1",name="c1",namespace="default"}}, {@code
 * container_memory_working_set_bytes}, {@code container_cpu_cfs_throttled_seconds_total}, ...):
 * cpu, throttling, memory usage/working set/rss/cache/limit/failcnt, OOM events, threads and bytes
 * read and written. They are read at scrape time through {@link CgroupStats}, the reader of the
 * stats API (cgroup v1 or v2), on a worker thread (never on the loop, never on the scrape thread
 * for longer than the timeout). A value the reading leaves null (an unlimited limit, a counter the
 * kernel does not offer, a file a half-removed cgroup no longer has) is left out of its metric
 * rather than exported as 0 or as a huge number. A container whose cgroup cannot be read at all
 * (gone, or a malformed file) is left out and the others are still exported (containerd #10796 lost
 * the whole scrape for one bad container).
 *
 * <p>One read at a time: a scrape that finds the last read still running (a slow or hung cgroupfs
 * outlived that scrape's timeout) waits on that read instead of queueing another, so scrapes can
 * never pile reads up on the worker pool. File reads cannot be interrupted, so a timed-out read is
 * left to finish, and the next scrape gets its result.
 *
 * <p>Thread-safe: each scrape reads the ids the supervisor loop last published ({@link
 * MetricCatalog#liveContainers()}), an immutable snapshot, so the scrape never reads the loop's
 * table.
 */
public final class ContainerCgroups implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(ContainerCgroups.class);

  private final Supplier<? extends Collection<CgroupTarget>> ids;
  private final CgroupStats cgroups;
  private final Executor workers;
  private final Duration timeout;
  private final Retired retired = new Retired();
  // Any scrape thread: the read in progress or last done; swapped by compare-and-set.
  private final AtomicReference<CompletableFuture<SortedMap<CgroupTarget, ContainerStats>>>
      reading = new AtomicReference<>(CompletableFuture.completedFuture(new TreeMap<>()));

  /**
   * @param ids the containers to read, asked at each scrape (the catalog's live containers)
   * @param root the cgroup mount, {@code /sys/fs/cgroup} (v1 or v2, as {@link CgroupStats} tells)
   */
  public ContainerCgroups(
      Supplier<? extends Collection<CgroupTarget>> ids,
      Path root,
      Executor workers,
      Duration timeout) {
    this.ids = ids;
    this.cgroups = new CgroupStats(root);
    this.workers = workers;
    this.timeout = timeout;
  }

  @Override
  public MetricSnapshots collect() {
    SortedMap<CgroupTarget, ContainerStats> read = readOnWorker();
    // Deleted containers that an OOM kill ended show once more, then go (see retire).
    Map<CgroupTarget, ContainerStats> last = retired.drain();
    last.forEach(read::putIfAbsent);
    return snapshots(read);
  }

  /**
   * Called before a container's cgroup is removed (on the deleting worker): reads it one last time
   * and, when the kernel's OOM killer killed in it, keeps that reading for the next scrape, so a
   * container OOM-killed and deleted between two scrapes still shows its OOM event. Any other
   * deleted container's series simply disappear.
   */
  public void retire(CgroupTarget t) {
    Long kills = cgroups.oomKills(t.cgroupsPath());
    if (kills == null || kills == 0) {
      return; // the usual delete: one small file read, not the whole set
    }
    try {
      ContainerStats last = cgroups.read(t.ref().id(), t.cgroupsPath(), Instant.now());
      Long oomKills = last.memory().oomKills();
      if (oomKills != null && oomKills > 0) {
        retired.put(t, last);
      }
    } catch (RuntimeException e) {
      log.debug("container {}: no last cgroup reading: {}", t.ref(), e.toString());
    }
  }

  private SortedMap<CgroupTarget, ContainerStats> readOnWorker() {
    try {
      return read().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TreeMap<>();
    } catch (Exception e) {
      // A busy pool or a slow cgroupfs costs this scrape the per-container series, nothing more.
      log.warn("per-container metrics skipped this scrape: {}", e.toString());
      return new TreeMap<>();
    }
  }

  /** The read in progress, or a new one on a worker when the last is done. */
  private CompletableFuture<SortedMap<CgroupTarget, ContainerStats>> read() {
    while (true) {
      CompletableFuture<SortedMap<CgroupTarget, ContainerStats>> last = reading.get();
      if (!last.isDone()) {
        return last;
      }
      CompletableFuture<SortedMap<CgroupTarget, ContainerStats>> next = new CompletableFuture<>();
      if (reading.compareAndSet(last, next)) {
        try {
          workers.execute(
              () -> {
                try {
                  next.complete(readAll());
                } catch (RuntimeException | Error e) {
                  next.completeExceptionally(e);
                }
              });
        } catch (RejectedExecutionException e) {
          next.completeExceptionally(e);
        }
        return next;
      }
    }
  }

  /** Reads every known container, by id; one that fails is logged and left out. */
  SortedMap<CgroupTarget, ContainerStats> readAll() {
    SortedMap<CgroupTarget, ContainerStats> out = new TreeMap<>();
    Instant now = Instant.now();
    for (CgroupTarget t : ids.get()) {
      try {
        out.put(t, cgroups.read(t.ref().id(), t.cgroupsPath(), now));
      } catch (Exception e) {
        log.debug("container {}: cgroup metrics unreadable: {}", t.ref(), e.toString());
      }
    }
    return out;
  }

  /**
   * The families under cAdvisor's names, help texts and label names ({@code id}: the cgroup path,
   * {@code name}: the container, {@code namespace}: its namespace), so dashboards built on
   * cAdvisor's series work unchanged.
   */
  MetricSnapshots snapshots(Map<CgroupTarget, ContainerStats> stats) {
    Map<Labels, ContainerStats> byLabels = new java.util.LinkedHashMap<>();
    stats.forEach((t, s) -> byLabels.put(t.labels(), s));
    return MetricSnapshots.of(
        counter(
            "container_cpu_usage_seconds",
            "Cumulative cpu time consumed in seconds.",
            byLabels,
            s -> seconds(s.cpu().usageNanos())),
        counter(
            "container_cpu_user_seconds",
            "Cumulative user cpu time consumed in seconds.",
            byLabels,
            s -> seconds(s.cpu().userNanos())),
        counter(
            "container_cpu_system_seconds",
            "Cumulative system cpu time consumed in seconds.",
            byLabels,
            s -> seconds(s.cpu().systemNanos())),
        counter(
            "container_cpu_cfs_periods",
            "Number of elapsed enforcement period intervals.",
            byLabels,
            s -> s.cpu().periods()),
        counter(
            "container_cpu_cfs_throttled_periods",
            "Number of throttled period intervals.",
            byLabels,
            s -> s.cpu().throttledPeriods()),
        counter(
            "container_cpu_cfs_throttled_seconds",
            "Total time duration the container has been throttled.",
            byLabels,
            s -> seconds(s.cpu().throttledNanos())),
        gauge(
            "container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was accessed.",
            byLabels,
            s -> s.memory().usage()),
        gauge(
            "container_memory_working_set_bytes",
            "Current working set in bytes.",
            byLabels,
            s -> s.memory().workingSet()),
        gauge("container_memory_rss", "Size of RSS in bytes.", byLabels, s -> s.memory().rss()),
        gauge(
            "container_memory_cache",
            "Number of bytes of page cache memory.",
            byLabels,
            s -> s.memory().cache()),
        gauge(
            "container_memory_max_usage_bytes",
            "Maximum memory usage recorded in bytes.",
            byLabels,
            s -> s.memory().maxUsage()),
        gauge(
            "container_memory_failcnt",
            "Number of memory usage hits limits.",
            byLabels,
            s -> s.memory().failcnt()),
        gauge(
            "container_spec_memory_limit_bytes",
            "Memory limit for the container.",
            byLabels,
            s -> s.memory().limit()),
        counter(
            "container_oom_events",
            "Count of out of memory events observed for the container.",
            byLabels,
            s -> s.memory().oomKills()),
        gauge(
            "container_threads",
            "Number of threads running inside the container.",
            byLabels,
            s -> s.pids().current()),
        gauge(
            "container_threads_max",
            "Maximum number of threads allowed inside the container, infinity if value is zero.",
            byLabels,
            s -> s.pids().limit()),
        counter(
            "container_fs_reads_bytes",
            "Cumulative count of bytes read.",
            byLabels,
            s -> s.blkio().readBytes()),
        counter(
            "container_fs_writes_bytes",
            "Cumulative count of bytes written.",
            byLabels,
            s -> s.blkio().writeBytes()));
  }

  private static Double seconds(Long nanos) {
    return nanos == null ? null : nanos / 1e9;
  }

  private static GaugeSnapshot gauge(
      String name,
      String help,
      Map<Labels, ContainerStats> stats,
      Function<ContainerStats, Number> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points(
        stats,
        value,
        (labels, v) ->
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(v).build()));
    return b.build();
  }

  private static CounterSnapshot counter(
      String name,
      String help,
      Map<Labels, ContainerStats> stats,
      Function<ContainerStats, Number> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    points(
        stats,
        value,
        (labels, v) ->
            b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(v).build()));
    return b.build();
  }

  /** Hands each container's value with its labels to {@code point}; a null is skipped. */
  private static void points(
      Map<Labels, ContainerStats> stats,
      Function<ContainerStats, Number> value,
      BiConsumer<Labels, Double> point) {
    stats.forEach(
        (labels, s) -> {
          Number v = value.apply(s);
          if (v != null) {
            point.accept(labels, v.doubleValue());
          }
        });
  }

  /**
   * Last readings of deleted containers, kept until one scrape has exported them; at most {@link
   * #MAX} (the oldest go first) so a daemon nobody scrapes does not grow.
   *
   * <p>Thread-safe: deleting workers put, scrapes drain.
   */
  private static final class Retired {
    static final int MAX = 256;
    private final LinkedHashMap<CgroupTarget, ContainerStats> byId = new LinkedHashMap<>();

    synchronized void put(CgroupTarget id, ContainerStats s) {
      byId.put(id, s);
      while (byId.size() > MAX) {
        byId.remove(byId.keySet().iterator().next());
      }
    }

    synchronized Map<CgroupTarget, ContainerStats> drain() {
      Map<CgroupTarget, ContainerStats> out = new TreeMap<>(byId);
      byId.clear();
      return out;
    }
  }
}
