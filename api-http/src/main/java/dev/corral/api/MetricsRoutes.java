package dev.corral.api;

import dev.corral.metrics.MetricCatalog;
import dev.corral.metrics.MetricsText;

/**
 * {@code GET /metrics}: the Prometheus text of the catalog, written by the Prometheus client's own
 * writer (this is only the thin HTTP adapter). Per-container series are read from cgroups on a
 * worker during the scrape.
 *
 * <p>Immutable; thread-safe.
 */
final class MetricsRoutes {
  private final MetricCatalog metrics;

  MetricsRoutes(MetricCatalog metrics) {
    this.metrics = metrics;
  }

  void register(Router r) {
    r.add("GET", "/metrics", this::scrape);
  }

  void scrape(Exchange x) {
    x.bytes(200, MetricsText.contentType(), MetricsText.scrape(metrics.prometheus()));
  }
}
