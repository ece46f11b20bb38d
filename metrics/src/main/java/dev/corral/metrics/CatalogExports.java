package dev.corral.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The catalog's Dropwizard metrics as Prometheus families, each with the HELP text it was declared
 * with: a timer becomes a summary in seconds with quantiles from its (exponentially decaying, about
 * the last five minutes) reservoir, {@code _count} and an exact {@code _sum} ({@link
 * SummingHistogram}); a counter becomes a counter; a supplied value a gauge. The official
 * Dropwizard bridge exports neither {@code _sum} nor HELP text, hence this small collector.
 *
 * <p>Thread-safe: families are added while the daemon wires itself, and collected by scrapes.
 */
final class CatalogExports implements MultiCollector {
  private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
  private static final double NANOS = 1e9;

  /** One declared family: its Prometheus name (without {@code _total}), help and source. */
  private record Family(String name, String help, Object source) {}

  private final List<Family> families = new CopyOnWriteArrayList<>();

  void timer(String name, String help, Timer timer, SummingHistogram histogram) {
    families.add(new Family(name, help, new TimedSum(timer, histogram)));
  }

  void counter(String name, String help, Counter counter) {
    families.add(new Family(name, help, counter));
  }

  /** Adds or replaces the gauge {@code name}. */
  void gauge(String name, String help, LongSupplier value) {
    families.removeIf(f -> f.name.equals(name));
    families.add(new Family(name, help, value));
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>(families.size());
    for (Family f : families) {
      out.add(snapshot(f));
    }
    return new MetricSnapshots(out);
  }

  private static MetricSnapshot snapshot(Family f) {
    if (f.source instanceof TimedSum t) {
      return summary(f, t);
    }
    if (f.source instanceof Counter c) {
      return CounterSnapshot.builder()
          .name(f.name)
          .help(f.help)
          .dataPoint(CounterDataPointSnapshot.builder().value(c.getCount()).build())
          .build();
    }
    LongSupplier g = (LongSupplier) f.source;
    return GaugeSnapshot.builder()
        .name(f.name)
        .help(f.help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(g.getAsLong()).build())
        .build();
  }

  private static SummarySnapshot summary(Family f, TimedSum t) {
    Snapshot s = t.timer.getSnapshot();
    List<Quantile> qs = new ArrayList<>(QUANTILES.length);
    for (double q : QUANTILES) {
      qs.add(new Quantile(q, s.getValue(q) / NANOS));
    }
    return SummarySnapshot.builder()
        .name(f.name)
        .help(f.help)
        .dataPoint(
            SummaryDataPointSnapshot.builder()
                .count(t.timer.getCount())
                .sum(t.histogram.sum() / NANOS)
                .quantiles(Quantiles.of(qs))
                .build())
        .build();
  }

  /** A timer and the histogram behind it, which knows the sum. */
  private record TimedSum(Timer timer, SummingHistogram histogram) {}
}
