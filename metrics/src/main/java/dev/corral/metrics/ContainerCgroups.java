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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-container resource metrics, read from the cgroup v1 files at scrape time on a worker thread
 * (never on the loop, never on the scrape thread for longer than the timeout), labelled by
 * container id: cpu seconds, memory usage/limit/failcnt, OOM kills, pids and blkio bytes. A
 * container whose files cannot be read (being deleted, say) is left out and the others are still
 * exported (containerd #10796 lost the whole scrape for one bad container).
 *
 * <p>Thread-safe: workers add and remove ids in the concurrent set it reads as containers come and
 * go ({@link MetricCatalog#containerCreated}), so the scrape never reads the loop's table.
 */
public final class ContainerCgroups implements MultiCollector {
  private static final Logger log = LoggerFactory.getLogger(ContainerCgroups.class);

  private final Collection<String> ids;
  private final Path root;
  private final String parent;
  private final Executor workers;
  private final Duration timeout;

  /**
   * @param ids the containers to read: a live, thread-safe view (the catalog's live containers)
   * @param root the cgroup v1 mount, {@code /sys/fs/cgroup}
   * @param parent the cgroup parent of every container, such as {@code /corral}
   */
  public ContainerCgroups(
      Collection<String> ids, Path root, String parent, Executor workers, Duration timeout) {
    this.ids = ids;
    this.root = root;
    this.parent = parent;
    this.workers = workers;
    this.timeout = timeout;
  }

  @Override
  public MetricSnapshots collect() {
    return snapshots(readOnWorker());
  }

  private List<CgroupSample> readOnWorker() {
    try {
      return CompletableFuture.supplyAsync(this::readAll, workers)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (Exception e) {
      // A busy pool or a slow cgroupfs costs this scrape the per-container series, nothing more.
      log.warn("per-container metrics skipped this scrape: {}", e.toString());
      return List.of();
    }
  }

  /** Reads every known container; one that fails is logged and left out. */
  List<CgroupSample> readAll() {
    List<CgroupSample> out = new ArrayList<>();
    for (String id : ids) {
      try {
        out.add(CgroupSample.read(root, parent, id));
      } catch (Exception e) {
        log.debug("container {}: cgroup metrics unreadable: {}", id, e.toString());
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  static MetricSnapshots snapshots(List<CgroupSample> samples) {
    return MetricSnapshots.of(
        counter("corral_container_cpu_seconds", "CPU time used.", samples, s -> s.cpuSeconds()),
        gauge("corral_container_memory_usage_bytes", "Memory used.", samples, s -> s.memoryBytes()),
        gauge(
            "corral_container_memory_limit_bytes",
            "Memory limit.",
            samples,
            s -> s.memoryLimitBytes()),
        counter(
            "corral_container_memory_failcnt",
            "Times the memory limit was hit.",
            samples,
            s -> s.memoryFailcnt()),
        counter(
            "corral_container_cgroup_oom_kills",
            "OOM kills counted by the kernel.",
            samples,
            s -> s.oomKills()),
        gauge("corral_container_pids", "Tasks in the container.", samples, s -> s.pids()),
        counter(
            "corral_container_blkio_read_bytes", "Bytes read.", samples, s -> s.blkioReadBytes()),
        counter(
            "corral_container_blkio_write_bytes",
            "Bytes written.",
            samples,
            s -> s.blkioWriteBytes()));
  }

  private static GaugeSnapshot gauge(
      String name, String help, List<CgroupSample> samples, ToDoubleFunction<CgroupSample> f) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    samples.forEach(
        s ->
            b.dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("id", s.id()))
                    .value(f.applyAsDouble(s))
                    .build()));
    return b.build();
  }

  private static CounterSnapshot counter(
      String name, String help, List<CgroupSample> samples, ToDoubleFunction<CgroupSample> f) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    samples.forEach(
        s ->
            b.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("id", s.id()))
                    .value(f.applyAsDouble(s))
                    .build()));
    return b.build();
  }
}
