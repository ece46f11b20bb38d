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
 * Per-container resource metrics, labelled by container id: cpu seconds, memory
 * usage/limit/failcnt, OOM kills, pids and blkio bytes. They are read at scrape time through {@link
 * CgroupStats}, the reader of the stats API (cgroup v1 or v2), on a worker thread (never on the
 * loop, never on the scrape thread for longer than the timeout). A value the reading leaves null
 * (an unlimited limit, a counter the kernel does not offer, a file a half-removed cgroup no longer
 * has) is left out of its metric rather than exported as 0 or as a huge number. A container whose
 * cgroup cannot be read at all (gone, or a malformed file) is left out and the others are still
 * exported (containerd #10796 lost the whole scrape for one bad container).
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

  private final Supplier<? extends Collection<String>> ids;
  private final CgroupStats cgroups;
  private final String parent;
  private final Executor workers;
  private final Duration timeout;
  // Any scrape thread: the read in progress or last done; swapped by compare-and-set.
  private final AtomicReference<CompletableFuture<SortedMap<String, ContainerStats>>> reading =
      new AtomicReference<>(CompletableFuture.completedFuture(new TreeMap<>()));

  /**
   * @param ids the containers to read, asked at each scrape (the catalog's live containers)
   * @param root the cgroup mount, {@code /sys/fs/cgroup} (v1 or v2, as {@link CgroupStats} tells)
   * @param parent the cgroup parent of every container, such as {@code /corral}
   */
  public ContainerCgroups(
      Supplier<? extends Collection<String>> ids,
      Path root,
      String parent,
      Executor workers,
      Duration timeout) {
    this.ids = ids;
    this.cgroups = new CgroupStats(root);
    this.parent = parent;
    this.workers = workers;
    this.timeout = timeout;
  }

  @Override
  public MetricSnapshots collect() {
    return snapshots(readOnWorker());
  }

  private SortedMap<String, ContainerStats> readOnWorker() {
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
  private CompletableFuture<SortedMap<String, ContainerStats>> read() {
    while (true) {
      CompletableFuture<SortedMap<String, ContainerStats>> last = reading.get();
      if (!last.isDone()) {
        return last;
      }
      CompletableFuture<SortedMap<String, ContainerStats>> next = new CompletableFuture<>();
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
  SortedMap<String, ContainerStats> readAll() {
    SortedMap<String, ContainerStats> out = new TreeMap<>();
    Instant now = Instant.now();
    for (String id : ids.get()) {
      try {
        out.put(id, cgroups.read(id, parent + "/" + id, now));
      } catch (Exception e) {
        log.debug("container {}: cgroup metrics unreadable: {}", id, e.toString());
      }
    }
    return out;
  }

  static MetricSnapshots snapshots(Map<String, ContainerStats> stats) {
    return MetricSnapshots.of(
        counter(
            "corral_container_cpu_seconds",
            "CPU time used.",
            stats,
            s -> seconds(s.cpu().usageNanos())),
        gauge(
            "corral_container_memory_usage_bytes", "Memory used.", stats, s -> s.memory().usage()),
        gauge(
            "corral_container_memory_limit_bytes", "Memory limit.", stats, s -> s.memory().limit()),
        counter(
            "corral_container_memory_failcnt",
            "Times the memory limit was hit.",
            stats,
            s -> s.memory().failcnt()),
        counter(
            "corral_container_cgroup_oom_kills",
            "OOM kills counted by the kernel.",
            stats,
            s -> s.memory().oomKills()),
        gauge("corral_container_pids", "Tasks in the container.", stats, s -> s.pids().current()),
        counter(
            "corral_container_blkio_read_bytes", "Bytes read.", stats, s -> s.blkio().readBytes()),
        counter(
            "corral_container_blkio_write_bytes",
            "Bytes written.",
            stats,
            s -> s.blkio().writeBytes()));
  }

  private static Double seconds(Long nanos) {
    return nanos == null ? null : nanos / 1e9;
  }

  private static GaugeSnapshot gauge(
      String name,
      String help,
      Map<String, ContainerStats> stats,
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
      Map<String, ContainerStats> stats,
      Function<ContainerStats, Number> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    points(
        stats,
        value,
        (labels, v) ->
            b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(v).build()));
    return b.build();
  }

  /** Hands each container's value with its {@code id} label to {@code point}; a null is skipped. */
  private static void points(
      Map<String, ContainerStats> stats,
      Function<ContainerStats, Number> value,
      BiConsumer<Labels, Double> point) {
    stats.forEach(
        (id, s) -> {
          Number v = value.apply(s);
          if (v != null) {
            point.accept(Labels.of("id", id), v.doubleValue());
          }
        });
  }
}
