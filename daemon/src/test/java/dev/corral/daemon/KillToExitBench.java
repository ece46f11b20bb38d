package dev.corral.daemon;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * the loop, the journal write and the HTTP stream. Prints the median, p90, p99 (nearest rank), min
 * and max, and the split at the event's own timestamp (taken on the loop; same host clock as ours):
 * kill to the loop emitting it, and the loop emitting it to our reading the line. The floor,
 * measured in the same run: kill to the init's pidfd turning readable in this process (the kernel
 * alone, no daemon); and, per container, what the total takes beyond that floor. With {@code
 * AFTER_RESTART=1} the N containers are created first and the daemon is restarted before the kills,
 * so the exits come through the watches recovery set up.
 */
final class KillToExitBench {
  private KillToExitBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "corral-kill-bench");
    boolean afterRestart = "1".equals(System.getenv("AFTER_RESTART"));
    Corrald d = Corrald.start(dir);
    try {
      Path bundle = Fixtures.bundle(dir.resolve("bundle"), "sleep", "1000");
      if (afterRestart) { // all created first; killed only once a new daemon recovered them
        try (Api api = d.api()) {
          for (int i = 0; i < n; i++) {
            api.post("/v1/containers", Fixtures.createBody("kill-" + i, bundle));
          }
        }
        d.stop();
        d = Corrald.restart(d);
        System.out.println("containers created, then the daemon restarted: kills after recovery");
      }
      List<long[]> runs;
      try (Api api = d.api()) {
        runs = run(api, bundle, n, !afterRestart);
      }
      report("kill-to-exit-event", runs, 0);
      report("  kill to emit on the loop", runs, 1);
      report("  emit to line read by the client", runs, 2);
      report("floor: kill to the init's pidfd readable here", runs, 3);
      report("beyond the floor: pidfd readable here to line read", runs, 4);
    } finally {
      d.stop();
      Fixtures.cleanUp(d);
      Fixtures.run("umount", "-l", d.state.toString()); // the daemon leaves its tmpfs mounted
      Fixtures.run("rm", "-rf", dir.toString());
    }
  }

  /**
   * Per container, in microseconds: {total, kill to emit, emit to read, kill to pidfd readable, the
   * rest of the total after that}.
   */
  private static List<long[]> run(Api api, Path bundle, int n, boolean create) throws Exception {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    api.request("GET", "/v1/events?type=exit")
        .timeout(0, TimeUnit.SECONDS)
        .idleTimeout(0, TimeUnit.SECONDS)
        .send(listener);
    listener.get(30, TimeUnit.SECONDS);
    List<long[]> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
      await(in, "live", null);
      for (int i = 0; i < n; i++) {
        String id = "kill-" + i;
        if (create) {
          api.post("/v1/containers", Fixtures.createBody(id, bundle));
        }
        long pid = api.get("/v1/containers/" + id).json().get("pid").getAsLong();
        int pidfd = Pidfd.open((int) pid);
        Instant wall0 = Instant.now();
        long t0 = System.nanoTime();
        Pidfd.signal(pidfd, Pidfd.SIGKILL);
        Pidfd.awaitExit(pidfd, t0 + TimeUnit.SECONDS.toNanos(30));
        long floor = (System.nanoTime() - t0) / 1000;
        Fds.close(pidfd);
        JsonObject exit = await(in, "exit", id);
        long total = (System.nanoTime() - t0) / 1000;
        Instant emitted = Instant.parse(exit.get("timestamp").getAsString());
        long toEmit = Duration.between(wall0, emitted).toNanos() / 1000;
        out.add(new long[] {total, toEmit, total - toEmit, floor, total - floor});
        api.delete("/v1/containers/" + id);
      }
    }
    return out;
  }

  private static JsonObject await(BufferedReader in, String type, String id) throws Exception {
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject e = JsonParser.parseString(line).getAsJsonObject();
      if (e.get("type").getAsString().equals(type)
          && (id == null || id.equals(e.get("id").getAsString()))) {
        return e;
      }
    }
    throw new IllegalStateException("stream ended before " + type + " of " + id);
  }

  /** The nearest-rank percentile's index: of 100 samples, p99 is the 99th, not the largest. */
  private static int rank(int size, double p) {
    return (int) Math.ceil(size * p) - 1;
  }

  private static void report(String what, List<long[]> runs, int column) {
    List<Long> s = new ArrayList<>();
    runs.forEach(r -> s.add(r[column]));
    Collections.sort(s);
    System.out.printf(
        "%s over %d containers: median %d us, p90 %d us, p99 %d us, min %d us, max %d us%n",
        what,
        s.size(),
        s.get(s.size() / 2),
        s.get(rank(s.size(), 0.9)),
        s.get(rank(s.size(), 0.99)),
        s.get(0),
        s.get(s.size() - 1));
  }
}
