package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stats read from the real cgroup files of a real container (cgroup v1 on this machine). */
class StatsIT extends SharedDaemon {
  static Path sleeper;

  @BeforeAll
  static void bundles() throws Exception {
    sleeper = Fixtures.bundle(dir.resolve("b-sleep"), "sleep", "1000");
  }

  @Test
  void statsReportNonZeroMemoryAndTheLimitsSet() throws Exception {
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("st1", sleeper)).status());
    assertEquals(
        200,
        api.call("PATCH", "/v1/containers/st1/resources", "{\"memory\":{\"limit\":67108864}}")
            .status());
    Api.Reply r = api.get("/v1/containers/st1/stats");
    assertEquals(200, r.status(), r.body());
    JsonObject mem = r.json().getAsJsonObject("memory");
    assertTrue(mem.get("usage").getAsLong() > 0, r.body());
    assertEquals(67108864, mem.get("limit").getAsLong());
    assertTrue(r.json().getAsJsonObject("pids").get("current").getAsLong() >= 1, r.body());
    assertTrue(r.json().getAsJsonObject("cpu").get("usageNanos").getAsLong() > 0, r.body());
    assertEquals(204, api.delete("/v1/containers/st1?force=1").status());
    Api.Reply gone = api.get("/v1/containers/st1/stats");
    assertEquals(404, gone.status(), gone.body());
  }

  @Test
  void aStreamSendsALinePerSecondAndEndsWhenTheContainerStops() throws Exception {
    assertEquals(201, api.post("/v1/containers", Fixtures.createBody("st2", sleeper)).status());
    InputStreamResponseListener listener = new InputStreamResponseListener();
    api.request("GET", "/v1/containers/st2/stats?stream=1")
        .timeout(0, TimeUnit.SECONDS)
        .idleTimeout(30, TimeUnit.SECONDS)
        .send(listener);
    Response resp = listener.get(30, TimeUnit.SECONDS);
    assertEquals(200, resp.getStatus());
    List<JsonObject> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      lines.add(JsonParser.parseString(in.readLine()).getAsJsonObject());
      lines.add(JsonParser.parseString(in.readLine()).getAsJsonObject());
      assertEquals(204, api.post("/v1/containers/st2/signal", "{\"signal\":\"KILL\"}").status());
      for (String l; (l = in.readLine()) != null; ) {
        lines.add(JsonParser.parseString(l).getAsJsonObject());
      }
    }
    assertTrue(lines.size() >= 2, lines.toString());
    assertTrue(
        lines.get(1).get("read").getAsString().compareTo(lines.get(0).get("read").getAsString())
            > 0);
    assertEquals(204, api.delete("/v1/containers/st2").status());
  }
}
