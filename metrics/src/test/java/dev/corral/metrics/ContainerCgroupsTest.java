package dev.corral.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-container metrics over a fake cgroup v1 tree. */
class ContainerCgroupsTest {
  @TempDir Path root;
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  @Test
  void readsEveryFileOfAContainer() throws IOException {
    fakeContainer("a", 1_500_000_000L, 4096);
    CgroupSample s = CgroupSample.read(root, "/corral", "a");
    assertEquals(new CgroupSample("a", 1.5, 4096, 16 * 1024 * 1024, 7, 1, 3, 512, 1024 + 10), s);
  }

  @Test
  void theExpositionOfTwoContainersIsTheGoldenText() throws IOException {
    fakeContainer("a", 1_500_000_000L, 4096);
    fakeContainer("b", 250_000_000L, 8192);
    ContainerCgroups cgroups =
        new ContainerCgroups(List.of("b", "a"), root, "/corral", worker, Duration.ofSeconds(5));

    String text = scrape(cgroups);

    assertEquals(MetricCatalogGoldenTest.golden("container-cgroups.prom", text), text);
  }

  @Test
  void aContainerThatFailsToReadDoesNotBreakTheScrapeForTheOthers() throws IOException {
    fakeContainer("a", 1_000_000_000L, 100);
    fakeContainer("c", 2_000_000_000L, 300);
    fakeContainer("b", 0, 200);
    Files.delete(root.resolve("memory/corral/b/memory.failcnt")); // b is half torn down
    ContainerCgroups cgroups =
        new ContainerCgroups(
            List.of("a", "b", "c", "gone"), root, "/corral", worker, Duration.ofSeconds(5));

    String text = scrape(cgroups);

    assertTrue(text.contains("corral_container_memory_usage_bytes{id=\"a\"} 100.0\n"), text);
    assertTrue(text.contains("corral_container_memory_usage_bytes{id=\"c\"} 300.0\n"), text);
    assertTrue(text.contains("corral_container_cpu_seconds_total{id=\"c\"} 2.0\n"), text);
    assertTrue(!text.contains("id=\"b\"") && !text.contains("id=\"gone\""), text);
  }

  @Test
  void aRemovedContainerIsNoLongerRead() throws IOException {
    fakeContainer("a", 0, 100);
    MetricCatalog m = new MetricCatalog();
    ContainerCgroups cgroups =
        new ContainerCgroups(m.liveContainers(), root, "/corral", worker, Duration.ofSeconds(5));
    m.containerCreated("a");
    assertTrue(scrape(cgroups).contains("id=\"a\""));
    m.containerRemoved("a");
    assertTrue(!scrape(cgroups).contains("id=\"a\""));
  }

  private static String scrape(ContainerCgroups cgroups) {
    io.prometheus.metrics.model.registry.PrometheusRegistry r =
        new io.prometheus.metrics.model.registry.PrometheusRegistry();
    r.register(cgroups);
    return new String(MetricsText.scrape(r), StandardCharsets.UTF_8);
  }

  private void fakeContainer(String id, long cpuNanos, long memory) throws IOException {
    write("cpuacct", id, "cpuacct.usage", cpuNanos + "\n");
    write("memory", id, "memory.usage_in_bytes", memory + "\n");
    write("memory", id, "memory.limit_in_bytes", "16777216\n");
    write("memory", id, "memory.failcnt", "7\n");
    write("memory", id, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    write("pids", id, "pids.current", "3\n");
    write(
        "blkio",
        id,
        "blkio.throttle.io_service_bytes",
        "8:0 Read 512\n8:0 Write 1024\n8:16 Write 10\n8:0 Total 1546\nTotal 1546\n");
  }

  private void write(String controller, String id, String file, String text) throws IOException {
    Path dir = root.resolve(controller + "/corral").resolve(id);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), text);
  }
}
