package dev.corral.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Predicate;

/**
 * The registry's snapshot written by the Prometheus client's own text format writer (format 0.0.4),
 * with no created timestamps: what the golden tests compare. The HTTP endpoint negotiates its
 * format through the client's scrape handler instead.
 *
 * <p>Stateless; safe from any thread (each scrape collects afresh).
 */
public final class MetricsText {
  private static final PrometheusTextFormatWriter WRITER =
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

  private MetricsText() {}

  /** The Content-Type of {@link #scrape}: {@code text/plain; version=0.0.4; charset=utf-8}. */
  public static String contentType() {
    return WRITER.getContentType();
  }

  /** Collects every metric of {@code registry} and writes them as Prometheus text. */
  public static byte[] scrape(PrometheusRegistry registry) {
    return scrape(registry, name -> true);
  }

  /**
   * As {@link #scrape(PrometheusRegistry)}, for the families whose names {@code include} accepts
   * (golden tests leave out the JVM's series, which differ from run to run).
   */
  public static byte[] scrape(PrometheusRegistry registry, Predicate<String> include) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      WRITER.write(out, registry.scrape(include));
    } catch (IOException e) {
      throw new UncheckedIOException("writing metrics to memory", e); // cannot happen in memory
    }
    return out.toByteArray();
  }
}
