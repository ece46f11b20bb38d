package dev.corral.daemon;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.InputStreamResponseListener;

/**
 * Kill-to-exit-event latency through a real corrald (run by scripts/bench-events, not a test): for
 * each of N containers running {@code sleep}, the time from our kill(2) of its init (SIGKILL,
 * straight from this process) to the moment the {@code exit} event's line is read off an open
 * {@code /v1/events} stream. Covers conmon noticing, its exit file, the pidfd wake-up, the ring,
 * the loop, the journal write and the HTTP stream. Prints the median, p90, min and max.
 */
final class KillToExitBench {
  private KillToExitBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "corral-kill-bench");
    Corrald d = Corrald.start(dir);
    try (Api api = d.api()) {
      Path bundle = Fixtures.bundle(dir.resolve("bundle"), "sleep", "1000");
      List<Long> micros = run(api, bundle, n);
      report(micros);
    } finally {
      d.stop();
      Fixtures.cleanUp(d);
    }
  }

  private static List<Long> run(Api api, Path bundle, int n) throws Exception {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    api.request("GET", "/v1/events?type=exit")
        .timeout(0, TimeUnit.SECONDS)
        .idleTimeout(0, TimeUnit.SECONDS)
        .send(listener);
    listener.get(30, TimeUnit.SECONDS);
    List<Long> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      await(in, "live", null);
      for (int i = 0; i < n; i++) {
        String id = "kill-" + i;
        api.post("/v1/containers", Fixtures.createBody(id, bundle));
        long pid = api.get("/v1/containers/" + id).json().get("pid").getAsLong();
        ProcessHandle init = ProcessHandle.of(pid).orElseThrow();
        long t0 = System.nanoTime();
        init.destroyForcibly(); // kill(pid, SIGKILL)
        await(in, "exit", id);
        out.add((System.nanoTime() - t0) / 1000);
        api.delete("/v1/containers/" + id);
      }
    }
    return out;
  }

  private static void await(BufferedReader in, String type, String id) throws Exception {
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject e = JsonParser.parseString(line).getAsJsonObject();
      if (e.get("type").getAsString().equals(type)
          && (id == null || id.equals(e.get("id").getAsString()))) {
        return;
      }
    }
    throw new IllegalStateException("stream ended before " + type + " of " + id);
  }

  private static void report(List<Long> micros) {
    List<Long> s = new ArrayList<>(micros);
    Collections.sort(s);
    System.out.printf(
        "kill-to-exit-event over %d containers: median %d us, p90 %d us, min %d us, max %d us%n",
        s.size(),
        s.get(s.size() / 2),
        s.get((int) (s.size() * 0.9)),
        s.get(0),
        s.get(s.size() - 1));
  }
}
