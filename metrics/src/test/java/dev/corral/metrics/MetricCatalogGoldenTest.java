package dev.corral.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The exact Prometheus text of a catalog in a fixed state, against a checked-in golden file. */
class MetricCatalogGoldenTest {
  @Test
  void aFixedCatalogStateScrapesToTheGoldenText() throws IOException {
    MetricCatalog m = new MetricCatalog();
    m.create.update(250, TimeUnit.MILLISECONDS);
    m.start.update(2, TimeUnit.SECONDS);
    m.ringWait.update(5, TimeUnit.MICROSECONDS);
    m.reply.update(300, TimeUnit.MILLISECONDS);
    m.exits.inc(3);
    m.oomKills.inc();
    m.tasks("StartTask").inc(2);
    m.apiRequest("/v1/containers", 201);
    m.containerStates(Map.of("creating", 0, "running", 2, "stopped", 1));
    m.subscribers.set(4);
    m.ringRemainingCapacity(() -> 4096);
    m.workerQueueDepth(() -> 0);
    m.epollRegistrations(() -> 2);

    String text = new String(MetricsText.scrape(m.prometheus()), StandardCharsets.UTF_8);

    assertEquals(golden("catalog.prom", text), text);
  }

  /**
   * The golden text; with -Dgolden.update=DIR it is first rewritten into DIR (the test resources
   * directory) from {@code actual}, to be reviewed in the diff before it is committed.
   */
  static String golden(String name, String actual) throws IOException {
    String update = System.getProperty("golden.update");
    if (update != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(update, name), actual);
    }
    return golden(name);
  }

  static String golden(String name) throws IOException {
    try (InputStream in = MetricCatalogGoldenTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
