package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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

/**
 * A real Prometheus server (Debian's) scrapes a real corrald every second; the questions an
 * operator asks are answered through Prometheus's own query API.
 */
class PrometheusIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static Corrald daemon;
  static Api api;
  static Process prometheus;
  static int promPort;
  static int metricsPort;

  @BeforeAll
  static void start() throws Exception {
    metricsPort = freePort();
    promPort = freePort();
    daemon = Corrald.start(dir, "--metrics-address", "127.0.0.1:" + metricsPort);
    api = daemon.api();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: corrald",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + metricsPort + "']",
            ""));
    assertTrue(Files.isExecutable(PROMETHEUS), "prometheus missing: run scripts/setup");
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
    }
    api.close();
    daemon.stop();
    Fixtures.cleanUp(daemon);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void prometheusScrapesCorraldAndComputesATimersMeanFromSumAndCount() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-ok"), "true");
    for (String id : List.of("p1", "p2")) {
      assertEquals(201, api.post("/v1/containers", Fixtures.createBody(id, b)).status());
      api.post("/v1/containers/" + id + "/wait", null);
      assertEquals(204, api.delete("/v1/containers/" + id).status());
    }
    assertEquals(1.0, awaitValue("up{job=\"corrald\"}", v -> v == 1.0), 0.0);
    double mean =
        awaitValue(
            "corral_container_create_seconds_sum / corral_container_create_seconds_count",
            v -> v > 0);
    assertTrue(mean > 0 && mean < 30, "mean create time " + mean + " s");
    // The daemon is shared with the other tests, which may have created containers before: the
    // count Prometheus must converge to is the one corrald itself exposes now.
    double created = corraldSample("corral_container_create_seconds_count");
    assertTrue(created >= 2.0, "corrald counted " + created + " creates");
    assertEquals(
        created, awaitValue("corral_container_create_seconds_count", v -> v == created), 0.0);
  }

  /** A sample without labels, as corrald's own /metrics shows it. */
  private static double corraldSample(String name) throws Exception {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " not in corrald's /metrics:\n" + text);
  }

  @Test
  void aRunningContainersWorkingSetIsQueriedUnderCadvisorsName() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-run"), "sleep", "1000");
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("pw", b)).status());
    try {
      double ws = awaitValue("container_memory_working_set_bytes{name=\"pw\"}", v -> v > 0);
      assertTrue(ws < 1L << 30, "working set " + ws);
    } finally {
      assertEquals(204, api.delete("/v1/containers/pw?force=1").status());
    }
  }

  @Test
  void aPodsContainerIsQueriedByNamespacePodAndContainerAsOnAKubelet() throws Exception {
    Path rootfs = Fixtures.bundle(dir.resolve("b-pod")).resolve("rootfs");
    Api.Reply pod = api.call("POST", "/v1/pods", "{\"uid\":\"pp1\",\"name\":\"web\"}", "team");
    assertEquals(201, pod.status(), pod.body());
    try {
      Api.Reply c =
          api.call(
              "POST",
              "/v1/containers",
              "{\"id\":\"pc1\",\"rootfs\":\""
                  + rootfs
                  + "\",\"process\":{\"args\":[\"sleep\",\"1000\"]},"
                  + "\"pod\":\"pp1\",\"name\":\"app\"}",
              "team");
      assertEquals(201, c.status(), c.body());
      double ws =
          awaitValue(
              "container_memory_working_set_bytes{namespace=\"team\",pod=\"web\","
                  + "container=\"app\",name=\"pc1\"}",
              v -> v > 0);
      assertTrue(ws < 1L << 30, "working set " + ws);
    } finally {
      assertEquals(204, api.call("DELETE", "/v1/pods/pp1?force=1", null, "team").status());
    }
  }

  @Test
  void aContainerOomKilledAndDeletedAtOnceStillShowsItsOomEvent() throws Exception {
    Path b = Fixtures.bundle(dir.resolve("b-oom"), "tail", "/dev/zero");
    Fixtures.withMemoryLimit(b, 16L * 1024 * 1024);
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("poom", b)).status());
    api.post("/v1/containers/poom/wait", null);
    assertEquals(204, api.delete("/v1/containers/poom").status()); // before any scrape saw it
    assertEquals(1.0, awaitValue("container_oom_events_total{name=\"poom\"}", v -> v >= 1.0), 0.0);
  }

  /** Polls an instant query until its first sample satisfies {@code ok} (60 s at most). */
  static double awaitValue(String query, java.util.function.DoublePredicate ok) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      assertTrue(prometheus.isAlive(), "prometheus exited:\n" + log());
      try {
        last = query(query);
        JsonArray result =
            JsonParser.parseString(last)
                .getAsJsonObject()
                .getAsJsonObject("data")
                .getAsJsonArray("result");
        if (!result.isEmpty()) {
          JsonObject first = result.get(0).getAsJsonObject();
          double v = Double.parseDouble(first.getAsJsonArray("value").get(1).getAsString());
          if (ok.test(v)) {
            return v;
          }
        }
      } catch (java.io.IOException notYetListening) {
        last = notYetListening.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no sample of " + query + " as expected within 60 s: " + last);
  }

  private static String query(String q) throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + promPort
                + "/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8));
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String log() throws java.io.IOException {
    return Files.readString(dir.resolve("prometheus.log"));
  }
}
