package dev.corral.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    m.tasks("AddProcessResultTask").inc();
    m.apiRequest("/v1/containers", 201);
    m.containerStates(Map.of("creating", 0, "running", 2, "stopped", 1));
    m.subscribers.set(4);
    m.ringRemainingCapacity(() -> 4096);
    m.workerQueueDepth(() -> 0);
    m.epollRegistrations(() -> 2);

    String text =
        new String(
            // The JVM's series and the build's version change from run to run and build to build.
            MetricsText.scrape(
                m.prometheus(),
                name -> name.startsWith("corral_") && !name.equals("corral_build_info")),
            StandardCharsets.UTF_8);

    assertEquals(golden("catalog.prom", text), text);
  }

  @Test
  void timersExportTheirExactSumInSecondsBesideTheCount() {
    MetricCatalog m = new MetricCatalog();
    m.create.update(250, TimeUnit.MILLISECONDS);
    m.create.update(750, TimeUnit.MILLISECONDS);
    String text =
        new String(
            MetricsText.scrape(m.prometheus(), "corral_container_create_seconds"::equals),
            StandardCharsets.UTF_8);
    assertTrue(text.contains("\ncorral_container_create_seconds_count 2\n"), text);
    assertTrue(text.contains("\ncorral_container_create_seconds_sum 1.0\n"), text);
    assertTrue(text.contains("# HELP corral_container_create_seconds Time to create"), text);
  }

  @Test
  void everyFamilyHasItsOwnHelpTextAndTheJvmAndProcessAreExported() {
    String text =
        new String(MetricsText.scrape(new MetricCatalog().prometheus()), StandardCharsets.UTF_8);
    assertFalse(text.contains("Generated from Dropwizard"), text);
    assertTrue(text.contains("\nprocess_cpu_seconds_total "), text);
    assertTrue(text.contains("\njvm_memory_used_bytes{"), text);
    assertTrue(text.contains("corral_build_info{"), text);
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        assertTrue(line.split(" ", 4).length == 4, "no help text: " + line);
      }
    }
  }

  @Test
  void taskTypesAreLabelledInSnakeCase() {
    assertEquals("add_process_result", MetricCatalog.snakeCase("AddProcessResultTask"));
    assertEquals("oom", MetricCatalog.snakeCase("OOMTask"));
    assertEquals("start", MetricCatalog.snakeCase("StartTask"));
    assertEquals("update_process", MetricCatalog.snakeCase("UpdateProcessTask"));
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
