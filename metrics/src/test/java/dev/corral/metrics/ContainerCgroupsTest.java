package dev.corral.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Per-container metrics over fake cgroup trees of both layouts. */
class ContainerCgroupsTest {
  /** The two cgroup layouts, told apart by ROOT/cgroup.controllers (only v2 has it). */
  enum Layout {
    V1,
    V2;

    /** The directory of container {@code id} in v1's {@code controller} hierarchy, or in v2's. */
    Path dir(Path root, String controller, String id) {
      return this == V1 ? root.resolve(controller + "/corral/" + id) : root.resolve("corral/" + id);
    }
  }

  @TempDir Path root;
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void everyMetricOfTwoContainersScrapesToTheGoldenText(Layout layout) throws IOException {
    fakeContainer(layout, "a", 1_500_000_000L, 4096);
    fakeContainer(layout, "b", 250_000_000L, 8192);

    String text = scrape(cgroups(() -> List.of("b", "a")));

    assertEquals(MetricCatalogGoldenTest.golden("container-cgroups.prom", text), text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void anUnlimitedLimitOrACounterTheKernelLacksLeavesItsPointOut(Layout layout) throws IOException {
    fakeContainer(layout, "a", 0, 100);
    fakeContainer(layout, "u", 0, 200);
    if (layout == Layout.V1) { // and before Linux 4.13, no oom_kill line
      write(layout, "memory", "u", "memory.limit_in_bytes", "9223372036854771712\n");
      write(layout, "memory", "u", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    } else {
      write(layout, "memory", "u", "memory.max", "max\n");
      write(layout, "memory", "u", "memory.events", "low 0\nhigh 0\nmax 7\noom 0\n");
    }

    String text = scrape(cgroups(() -> List.of("a", "u")));

    assertTrue(
        text.contains(
            "container_spec_memory_limit_bytes{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 1.6777216E7\n"),
        text);
    assertTrue(
        text.contains(
            "container_oom_events_total{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 1.0\n"),
        text);
    assertFalse(
        text.contains(
            "container_spec_memory_limit_bytes{id=\"/corral/u\",name=\"u\",namespace=\"default\"}"),
        text);
    assertFalse(
        text.contains(
            "container_oom_events_total{id=\"/corral/u\",name=\"u\",namespace=\"default\"}"),
        text);
    assertTrue(
        text.contains(
            "container_memory_usage_bytes{id=\"/corral/u\",name=\"u\",namespace=\"default\"} 200.0\n"),
        text);
    assertTrue(
        text.contains(
            "container_memory_failcnt{id=\"/corral/u\",name=\"u\",namespace=\"default\"} 7.0\n"),
        text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aContainerThatFailsToReadDoesNotBreakTheScrapeForTheOthers(Layout layout)
      throws IOException {
    fakeContainer(layout, "a", 1_000_000_000L, 100);
    fakeContainer(layout, "c", 2_000_000_000L, 300);
    fakeContainer(layout, "b", 0, 200);
    String usage = layout == Layout.V1 ? "memory.usage_in_bytes" : "memory.current";
    write(layout, "memory", "b", usage, "garbage\n"); // b is unreadable

    String text = scrape(cgroups(() -> List.of("a", "b", "c", "gone")));

    assertTrue(
        text.contains(
            "container_memory_usage_bytes{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 100.0\n"),
        text);
    assertTrue(
        text.contains(
            "container_memory_usage_bytes{id=\"/corral/c\",name=\"c\",namespace=\"default\"} 300.0\n"),
        text);
    assertTrue(
        text.contains(
            "container_cpu_usage_seconds_total{id=\"/corral/c\",name=\"c\",namespace=\"default\"} 2.0\n"),
        text);
    assertTrue(!text.contains("name=\"b\"") && !text.contains("name=\"gone\""), text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aContainerOfAPodCarriesCadvisorsPodAndContainerLabels(Layout layout) throws IOException {
    fakeContainer(layout, "p", 0, 100);
    ContainerCgroups cgroups =
        new ContainerCgroups(
            () -> List.of(new CgroupTarget(ContainerRef.of("p"), "/corral/p", "web", "app")),
            root,
            worker,
            Duration.ofSeconds(5));
    String text = scrape(cgroups);
    assertTrue(
        text.contains(
            "container_memory_usage_bytes{container=\"app\",id=\"/corral/p\",name=\"p\","
                + "namespace=\"default\",pod=\"web\"} 100.0\n"),
        text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aMissingFileCostsOnlyTheSeriesReadFromIt(Layout layout) throws IOException {
    fakeContainer(layout, "a", 1_000_000_000L, 100);
    String io = layout == Layout.V1 ? "blkio.throttle.io_service_bytes" : "io.stat";
    Files.delete(layout.dir(root, "blkio", "a").resolve(io)); // no io controller, say

    String text = scrape(cgroups(() -> List.of("a")));

    assertFalse(text.contains("container_fs_"), text);
    assertTrue(
        text.contains(
            "container_memory_usage_bytes{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 100.0\n"),
        text);
    assertTrue(
        text.contains(
            "container_cpu_usage_seconds_total{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 1.0\n"),
        text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aRemovedContainerIsNoLongerRead(Layout layout) throws IOException {
    fakeContainer(layout, "a", 0, 100);
    MetricCatalog m = new MetricCatalog();
    ContainerCgroups cgroups =
        new ContainerCgroups(m::liveContainers, root, worker, Duration.ofSeconds(5));
    m.liveContainers(java.util.Set.of(target("a")));
    assertTrue(scrape(cgroups).contains("name=\"a\""));
    m.liveContainers(java.util.Set.of());
    assertTrue(!scrape(cgroups).contains("name=\"a\""));
  }

  /** The collector over the fake tree; built after it, as the layout is told at construction. */
  private ContainerCgroups cgroups(java.util.function.Supplier<Collection<String>> ids) {
    return new ContainerCgroups(
        () -> ids.get().stream().map(ContainerCgroupsTest::target).toList(),
        root,
        worker,
        Duration.ofSeconds(5));
  }

  /** A container of the default namespace whose cgroup is {@code /corral/ID} in the fake tree. */
  private static CgroupTarget target(String id) {
    return new CgroupTarget(ContainerRef.of(id), "/corral/" + id);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void scrapesDuringAStuckReadWaitOnItInsteadOfQueueingMore(Layout layout) throws Exception {
    fakeContainer(layout, "a", 0, 100);
    CountDownLatch unstick = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    Executor stuckFirst = // counts submissions, not runs: a queued read counts too
        task -> {
          int n = reads.incrementAndGet();
          worker.execute(
              () -> {
                if (n == 1) {
                  await(unstick); // a cgroupfs read that hangs
                }
                task.run();
              });
        };
    ContainerCgroups cgroups =
        new ContainerCgroups(() -> List.of(target("a")), root, stuckFirst, Duration.ofMillis(50));

    assertFalse(scrape(cgroups).contains("name=\"a\""), "the stuck read's scrape times out");
    assertFalse(scrape(cgroups).contains("name=\"a\""), "so does the next, on the same read");
    assertEquals(1, reads.get(), "no second read was queued behind the stuck one");

    unstick.countDown();
    String text = "";
    for (int i = 0; i < 200 && !text.contains("name=\"a\""); i++) {
      text = scrape(cgroups); // the stuck read's result, then fresh reads
    }
    assertTrue(
        text.contains(
            "container_memory_usage_bytes{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 100.0\n"),
        text);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aDeletedOomKilledContainerShowsItsOomInOneMoreScrapeOthersVanishAtOnce(Layout layout)
      throws IOException {
    fakeContainer(layout, "a", 0, 100); // oom_kill 1
    fakeContainer(layout, "b", 0, 100);
    writeOomKills(layout, "b", 0);
    ContainerCgroups cgroups = cgroups(List::of); // both already deleted from the live set
    cgroups.retire(target("a"));
    cgroups.retire(target("b"));

    String first = scrape(cgroups);
    assertTrue(
        first.contains(
            "container_oom_events_total{id=\"/corral/a\",name=\"a\",namespace=\"default\"} 1.0\n"),
        first);
    assertFalse(first.contains("name=\"b\""), first);
    assertFalse(scrape(cgroups).contains("name=\"a\""), "shown once, then gone");
  }

  private void writeOomKills(Layout layout, String id, int n) throws IOException {
    if (layout == Layout.V1) {
      write(
          layout,
          "memory",
          id,
          "memory.oom_control",
          "oom_kill_disable 0\nunder_oom 0\noom_kill " + n + "\n");
    } else {
      write(layout, "memory", id, "memory.events", "max 0\noom 0\noom_kill " + n + "\n");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String scrape(ContainerCgroups cgroups) {
    PrometheusRegistry r = new PrometheusRegistry();
    r.register(cgroups);
    return new String(MetricsText.scrape(r), StandardCharsets.UTF_8);
  }

  /**
   * The files of one container, with the same counters in either layout: a 16 MiB limit hit 7
   * times, 1 OOM kill, 3 tasks, 512 bytes read and 1034 written over two devices, throttled in 2 of
   * 10 periods for 0.5 s, 2048 bytes of rss and 1024 of cache, all of it inactive.
   */
  private void fakeContainer(Layout layout, String id, long cpuNanos, long memory)
      throws IOException {
    if (layout == Layout.V1) {
      write(layout, "cpuacct", id, "cpuacct.usage", cpuNanos + "\n");
      write(layout, "cpuacct", id, "cpuacct.stat", "user 0\nsystem 0\n");
      write(
          layout,
          "cpu",
          id,
          "cpu.stat",
          "nr_periods 10\nnr_throttled 2\nthrottled_time 500000000\n");
      write(
          layout,
          "memory",
          id,
          "memory.stat",
          "cache 1\nrss 1\ntotal_cache 1024\ntotal_rss 2048\ntotal_inactive_file 1024\n");
      write(layout, "memory", id, "memory.usage_in_bytes", memory + "\n");
      write(layout, "memory", id, "memory.limit_in_bytes", "16777216\n");
      write(layout, "memory", id, "memory.failcnt", "7\n");
      write(
          layout,
          "memory",
          id,
          "memory.oom_control",
          "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
      write(layout, "pids", id, "pids.current", "3\n");
      write(
          layout,
          "blkio",
          id,
          "blkio.throttle.io_service_bytes",
          "8:0 Read 512\n8:0 Write 1024\n8:16 Write 10\n8:0 Total 1546\nTotal 1546\n");
      return;
    }
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    write(
        layout,
        "cpu",
        id,
        "cpu.stat",
        "usage_usec "
            + cpuNanos / 1000
            + "\nuser_usec 0\nsystem_usec 0\nnr_periods 10\nnr_throttled 2\nthrottled_usec 500000\n");
    write(layout, "memory", id, "memory.stat", "anon 2048\nfile 1024\ninactive_file 1024\n");
    write(layout, "memory", id, "memory.current", memory + "\n");
    write(layout, "memory", id, "memory.max", "16777216\n");
    // oom (the limit was reached) differs from oom_kill (a process was killed) on purpose
    write(
        layout,
        "memory",
        id,
        "memory.events",
        "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n");
    write(layout, "pids", id, "pids.current", "3\n");
    write(
        layout,
        "io",
        id,
        "io.stat",
        "8:0 rbytes=512 wbytes=1024 rios=1 wios=2 dbytes=0 dios=0\n"
            + "8:16 rbytes=0 wbytes=10 rios=0 wios=1 dbytes=0 dios=0\n");
  }

  private void write(Layout layout, String controller, String id, String file, String text)
      throws IOException {
    Path dir = layout.dir(root, controller, id);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), text);
  }
}
