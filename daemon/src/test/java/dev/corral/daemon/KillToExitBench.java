package dev.corral.daemon;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.corral.runtime.sys.Fds;
import dev.corral.runtime.sys.Pidfd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
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
 * alone, no daemon); and, per container, what the total takes beyond that floor. Also the reap:
 * kill to the same pidfd hanging up, which it does once conmon, the init's parent, has reaped it;
 * only from then on does the kernel keep the exit code behind the pidfd, so no conmon-based design
 * can report the code earlier from the kernel. A second subscriber reads the same stream straight
 * off the socket on its own thread ({@link RawEvents}): what a client without a library's selector
 * thread sees. With {@code AFTER_RESTART=1} the N containers are created first and the daemon is
 * restarted before the kills, so the exits come through the watches recovery set up.
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
      try (Api api = d.api();
          RawEvents raw = new RawEvents(d.socket)) {
        runs = run(api, bundle, n, !afterRestart, raw);
      }
      report("kill-to-exit-event", runs, 0);
      report("  kill to emit on the loop", runs, 1);
      report("  emit to line read by the client", runs, 2);
      report("floor: kill to the init's pidfd readable here", runs, 3);
      report("beyond the floor: pidfd readable here to line read", runs, 4);
      report("second subscriber, reading the socket itself: kill to line read", runs, 5);
      report("  emit to line read", runs, 6);
      report("  beyond the floor", runs, 7);
      report("reap: kill to conmon's reap of the init (the pidfd hangs up)", runs, 8);
      report("  pidfd readable to the reap (conmon's wake-up)", runs, 9);
      report("  the reap to the socket reader's line (corrald's own share)", runs, 10);
    } finally {
      d.stop();
      Fixtures.cleanUp(d);
      Fixtures.run("umount", "-l", d.state.toString()); // the daemon leaves its tmpfs mounted
      Fixtures.run("rm", "-rf", dir.toString());
    }
  }

  /**
   * Per container, in microseconds: {total, kill to emit, emit to read, kill to pidfd readable, the
   * rest of the total after that; the socket reader's total, its emit to read, its rest after the
   * floor; kill to the reap, readable to the reap, the reap to the socket reader's line}.
   */
  private static List<long[]> run(Api api, Path bundle, int n, boolean create, RawEvents raw)
      throws Exception {
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
      raw.awaitLive();
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
        Fds.awaitHangup(pidfd, t0 + TimeUnit.SECONDS.toNanos(30));
        long reaped = (System.nanoTime() - t0) / 1000;
        Fds.close(pidfd);
        JsonObject exit = await(in, "exit", id);
        long total = (System.nanoTime() - t0) / 1000;
        Instant emitted = Instant.parse(exit.get("timestamp").getAsString());
        long toEmit = Duration.between(wall0, emitted).toNanos() / 1000;
        long rawTotal = (raw.arrival(id) - t0) / 1000;
        out.add(
            new long[] {
              total,
              toEmit,
              total - toEmit,
              floor,
              total - floor,
              rawTotal,
              rawTotal - toEmit,
              rawTotal - floor,
              reaped,
              reaped - floor,
              rawTotal - reaped
            });
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

  /**
   * A second subscriber to {@code /v1/events?type=exit} on a connection of its own, read with
   * blocking reads on its own thread straight off the socket (HTTP/1.1 chunks, one event line
   * each), as a small client such as {@code curl -N} reads it: no client library's selector thread
   * and queue between the socket and the reader. Keeps the arrival time of each exit line.
   */
  private static final class RawEvents implements AutoCloseable {
    private final SocketChannel ch;
    private final BlockingQueue<Object[]> exits = new LinkedBlockingQueue<>();
    private final CountDownLatch live = new CountDownLatch(1);
    private final Thread reader;

    RawEvents(Path socket) throws IOException {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(
          ByteBuffer.wrap(
              "GET /v1/events?type=exit HTTP/1.1\r\nHost: localhost\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII)));
      reader = new Thread(this::read, "raw-events");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.startsWith("{")) {
            continue; // the status line, headers, chunk sizes, keep-alive lines
          }
          long at = System.nanoTime();
          JsonObject e = JsonParser.parseString(line).getAsJsonObject();
          String type = e.get("type").getAsString();
          if (type.equals("live")) {
            live.countDown();
          } else if (type.equals("exit")) {
            exits.add(new Object[] {e.get("id").getAsString(), at});
          }
        }
      } catch (IOException e) {
        // closed at the end of the run
      }
    }

    void awaitLive() throws InterruptedException {
      if (!live.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("second subscriber: no live marker");
      }
    }

    /** The nanoTime at which the exit line of {@code id} was read. */
    long arrival(String id) throws InterruptedException {
      while (true) {
        Object[] x = exits.poll(30, TimeUnit.SECONDS);
        if (x == null) {
          throw new IllegalStateException("second subscriber: no exit of " + id);
        }
        if (id.equals(x[0])) {
          return (Long) x[1];
        }
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
