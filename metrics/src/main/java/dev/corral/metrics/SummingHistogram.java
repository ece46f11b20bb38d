package dev.corral.metrics;

import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Histogram;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard histogram that also keeps the exact sum of every value it was given. A Dropwizard
 * timer records durations into its histogram in nanoseconds; with this histogram behind it, the
 * timer's total time is known, and Prometheus gets a summary with {@code _sum} as well as {@code
 * _count}, so {@code rate(x_sum[5m]) / rate(x_count[5m])} is the mean and sums add up across
 * daemons. The reservoir's quantiles alone cannot give either.
 *
 * <p>Thread-safe: updated from any thread, read by the scraping thread.
 */
final class SummingHistogram extends Histogram {
  private final LongAdder sum = new LongAdder();

  SummingHistogram() {
    super(new ExponentiallyDecayingReservoir());
  }

  @Override
  public void update(long value) {
    super.update(value);
    sum.add(value);
  }

  @Override
  public void update(int value) {
    update((long) value);
  }

  /** The sum of every value recorded so far. */
  long sum() {
    return sum.sum();
  }
}
