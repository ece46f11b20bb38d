package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics of a real corrald: promtool accepts it, and its counters move by what was done. */
class MetricsIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    daemon = Corrald.start(dir, "--metrics-address", "127.0.0.1:" + port);
    api = daemon.api();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  @Test
  void countersMoveByWhatWasDoneAndPromtoolAcceptsTheText() throws Exception {
    String before = scrape();
    Path b = Fixtures.bundle(dir.resolve("b-ok"), "true");
    for (String id : List.of("m1", "m2")) {
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody(id, b)).status());
      assertEquals(
          0, api.post("/v1/containers/" + id + "/wait", null).json().get("exitCode").getAsInt());
      assertEquals(204, api.delete("/v1/containers/" + id).status());
    }
    assertEquals(404, api.get("/v1/containers/m1").status());
    String after = scrape();

    assertEquals(2, delta(before, after, "corral_exits_total"));
    assertEquals(2, delta(before, after, "corral_container_create_seconds_count"));
    assertEquals(2, delta(before, after, "corral_container_start_seconds_count"));
    assertEquals(2, delta(before, after, "corral_container_delete_seconds_count"));
    assertEquals(2, delta(before, after, "corral_tasks_total{type=\"start\"}"));
    assertEquals(2, delta(before, after, "corral_tasks_total{type=\"exit\"}"));
    assertEquals(
        2,
        delta(
            before,
            after,
            "corral_api_requests_total{route=\"POST /v1/containers\",status=\"201\"}"));
    assertEquals(
        1,
        delta(
            before,
            after,
            "corral_api_requests_total{route=\"GET /v1/containers/{id}\",status=\"404\"}"));
    assertEquals(0, delta(before, after, "corral_oom_kills_total"));
    assertEquals(0, value(after, "corral_containers{state=\"running\"}"));
    // Exact sums beside the counts: rate(_sum) / rate(_count) is the mean.
    assertTrue(delta(before, after, "corral_container_create_seconds_sum") > 0, after);
    assertTrue(delta(before, after, "corral_container_delete_seconds_sum") > 0, after);
    assertTrue(value(after, "process_resident_memory_bytes") > 0, after);
    assertTrue(after.contains("corral_build_info{"), after);
    promtoolAccepts(after);
  }

  @Test
  void openMetricsAndGzipAreNegotiatedAsPrometheusAsksAndHeadAnswers() throws Exception {
    HttpResponse<byte[]> om =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(metricsUri("/metrics"))
                    .header(
                        "Accept",
                        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                    .header("Accept-Encoding", "gzip")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, om.statusCode());
    assertTrue(
        om.headers()
            .firstValue("content-type")
            .orElse("")
            .startsWith("application/openmetrics-text"),
        om.headers().toString());
    assertEquals("gzip", om.headers().firstValue("content-encoding").orElse(""));
    String text =
        new String(
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(om.body()))
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.endsWith("# EOF\n"), text);
    assertTrue(text.contains("# TYPE corral_exits counter"), text);
    HttpResponse<String> head =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(metricsUri("/metrics"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void execPauseResumeUpdateAndStatsAreEachTimed() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-ops"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("mops", b)).status());
    String before = scrape();
    try {
      Api.Reply exec =
          api.post("/v1/containers/mops/processes", "{\"id\":\"e1\",\"args\":[\"true\"]}");
      assertEquals(201, exec.status(), exec.body());
      assertEquals(200, api.post("/v1/containers/mops/pause", null).status());
      assertEquals(200, api.post("/v1/containers/mops/resume", null).status());
      Api.Reply update =
          api.call("PATCH", "/v1/containers/mops/resources", "{\"pids\": {\"limit\": 100}}");
      assertEquals(200, update.status(), update.body());
      assertEquals(200, api.get("/v1/containers/mops/stats").status());
      String after = scrape();
      for (String op : List.of("exec", "pause", "resume", "update", "stats")) {
        String family = "corral_container_" + op + "_seconds";
        assertEquals(1, delta(before, after, family + "_count"), op);
        assertTrue(delta(before, after, family + "_sum") > 0, op);
      }
    } finally {
      assertEquals(204, api.delete("/v1/containers/mops?force=1").status());
    }
  }

  @Test
  void aRunningContainerHasItsCgroupSeriesAndTheTcpEndpointServesOnlyMetrics() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-run"), "sleep", "1000");
    Fixtures.withMemoryLimit(b, 32L * 1024 * 1024);
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("mrun", b)).status());
    try {
      HttpResponse<String> tcp = tcp("/metrics");
      assertEquals(200, tcp.statusCode());
      assertTrue(tcp.headers().firstValue("content-type").orElse("").contains("version=0.0.4"));
      String text = tcp.body();
      String mrun =
          "{id=\""
              + Fixtures.cgroupPath(daemon, "default", "mrun")
              + "\",name=\"mrun\",namespace=\"default\"}";
      assertEquals(33554432, value(text, "container_spec_memory_limit_bytes" + mrun));
      assertTrue(value(text, "container_memory_usage_bytes" + mrun) > 0, text);
      assertTrue(value(text, "container_memory_working_set_bytes" + mrun) > 0, text);
      assertTrue(
          value(text, "container_memory_working_set_bytes" + mrun)
              <= value(text, "container_memory_usage_bytes" + mrun),
          text);
      assertTrue(text.contains("container_cpu_usage_seconds_total" + mrun), text);
      assertTrue(text.contains("container_cpu_cfs_throttled_seconds_total" + mrun), text);
      assertTrue(value(text, "container_threads" + mrun) >= 1, text);
      assertEquals(1, value(text, "corral_containers{state=\"running\"}"));
      assertTrue(value(text, "corral_monitor_epoll_registrations") >= 2, text); // pidfd + oom
      promtoolAccepts(text);
      assertEquals(404, tcp("/v1/_ping").statusCode());
    } finally {
      assertEquals(204, api.delete("/v1/containers/mrun?force=1").status());
    }
    assertTrue(!scrape().contains("name=\"mrun\""));
  }

  @Test
  void aNonLoopbackMetricsAddressIsRefused() throws Exception {
    Path log = dir.resolve("refused.log");
    Process p =
        Corrald.launch(
            List.of(
                "--root", dir.resolve("root-refused").toString(),
                "--socket", dir.resolve("run-refused/c.sock").toString(),
                "--metrics-address", "0.0.0.0:" + port),
            new String[0],
            log);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, p.exitValue());
    assertTrue(
        Files.readString(log).contains("0.0.0.0 is not a loopback address"), Files.readString(log));
  }

  private static String scrape() throws Exception {
    Api.Reply r = api.get("/metrics");
    assertEquals(200, r.status(), r.body());
    return r.body();
  }

  private static URI metricsUri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> tcp(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static double delta(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }

  /** The value of one series (name and labels exactly as written); 0 when it is absent. */
  static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  private static void promtoolAccepts(String text) throws Exception {
    assertTrue(Files.isExecutable(PROMTOOL), "promtool missing: run scripts/setup");
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.trim(), "promtool lint findings");
  }
}
