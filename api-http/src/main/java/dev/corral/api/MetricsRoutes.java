package dev.corral.api;

import dev.corral.metrics.MetricCatalog;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;

/**
 * {@code GET /metrics}: the catalog's registry, answered by the Prometheus client's own scrape
 * handler through {@link ScrapeExchange}, so the text format (0.0.4), OpenMetrics and the protobuf
 * format are negotiated from {@code Accept} and gzip from {@code Accept-Encoding} exactly as
 * Prometheus expects. Per-container series are read from cgroups on a worker during the scrape.
 *
 * <p>Immutable; thread-safe (the handler collects afresh for each scrape).
 */
final class MetricsRoutes {
  private final PrometheusScrapeHandler handler;

  MetricsRoutes(MetricCatalog metrics) {
    this.handler = new PrometheusScrapeHandler(metrics.prometheus());
  }

  void register(Router r) {
    // the Prometheus client's own filters: name[] selects families, debug a format to read
    r.add("GET", "/metrics", this::scrape, "name[]", "debug");
  }

  /** The handler closes the exchange itself, on every path (which completes the Jetty exchange). */
  void scrape(Exchange x) throws java.io.IOException {
    handler.handleRequest(new ScrapeExchange(x));
  }
}
