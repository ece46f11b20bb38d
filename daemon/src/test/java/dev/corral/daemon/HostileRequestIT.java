package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random requests from four clients at once: known and unknown routes, every method,
 * random and truncated JSON, wrong types, huge numbers, invalid and traversing ids, paths into the
 * daemon's root and out of the test's area. Bounded in count and time. Afterwards: no 5xx but 503
 * and 507, every error a JSON body, no file outside the root named by a request, the daemon alive,
 * and everything it created deletable. The seed is printed; {@code -Dhostile.seed=N} replays it.
 */
class HostileRequestIT {
  private static final int REQUESTS = 3000;
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(45);
  private static final int CLIENTS = 4;

  @TempDir Path dir;

  @Test
  void randomRequestsNeverBreakTheDaemonNorWriteOutsideItsRoot() throws Exception {
    long seed = Long.getLong("hostile.seed", System.nanoTime());
    System.out.println(
        "HostileRequestIT seed: " + seed + " (replay with -Dhostile.seed=" + seed + ")");
    String marker = "hx" + Long.toHexString(seed & 0xffffffffL);
    try (Corrald d = Corrald.start(dir)) {
      HostileRequests gen =
          new HostileRequests(
              marker, d.root, Fixtures.bundle(dir.resolve("good"), "sleep", "1"), dir);
      Set<String> before = testArea(d);
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      int[] counts = run(d, gen, seed, failures);
      System.out.printf(
          "HostileRequestIT: %d requests, %d 2xx, %d 4xx, %d 503/507%n",
          counts[0], counts[1], counts[2], counts[3]);
      assertTrue(
          failures.isEmpty(),
          "seed " + seed + ": " + failures.subList(0, Math.min(20, failures.size())));
      assertTrue(d.process.isAlive(), "seed " + seed + ": corrald died:\n" + d.logText());
      try (Api api = d.api()) {
        assertEquals(200, api.get("/v1/_ping").status());
        deleteAll(api);
        assertEquals("[]", api.get("/v1/containers").any().toString());
        assertEquals(
            "[{\"name\":\"default\",\"containers\":0,\"pods\":0}]",
            api.get("/v1/namespaces").any().toString());
      }
      assertEquals(List.of(), Fixtures.containerDirs(d.root), "seed " + seed);
      assertEquals(List.of(), Fixtures.containerDirs(d.state), "seed " + seed);
      assertEquals(List.of(), Fixtures.runcIds(d.root), "seed " + seed);
      assertEquals(before, testArea(d), "seed " + seed + ": files appeared in the test's area");
      assertEquals(List.of(), namedByRequests(marker, d.root), "seed " + seed);
    } finally {
      Fixtures.cleanRunc(dir.resolve("root"));
    }
  }

  /** Requests until the count or the time budget runs out: {total, 2xx, 4xx, 503/507}. */
  private static int[] run(Corrald d, HostileRequests gen, long seed, List<String> failures)
      throws Exception {
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger[] counts = {
      new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()
    };
    long deadline = System.nanoTime() + BUDGET_NANOS;
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      Random random = new Random(seed + c);
      pool.execute(
          () -> {
            while (issued.incrementAndGet() <= REQUESTS && System.nanoTime() < deadline) {
              one(d, gen.next(random), counts, failures);
            }
          });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(3, TimeUnit.MINUTES), "clients did not finish");
    return new int[] {counts[0].get(), counts[1].get(), counts[2].get(), counts[3].get()};
  }

  private static void one(
      Corrald d, HostileRequests.Req r, AtomicInteger[] counts, List<String> failures) {
    counts[0].incrementAndGet();
    try {
      RawHttp.Answer a = RawHttp.request(d.socket, r.method(), r.target(), r.body(), 30_000);
      int s = a.status();
      if (s >= 500 && s != 503 && s != 507) {
        failures.add(r + " -> " + s + " " + a.body());
      } else if (s >= 400 && !r.method().equals("HEAD") && !isErrorJson(a)) {
        failures.add(r + " -> " + s + " without a JSON error: " + a.head() + "\n" + a.body());
      }
      counts[s < 300 ? 1 : s < 500 ? 2 : 3].incrementAndGet();
    } catch (IOException e) {
      if (!longPoll(r)) {
        failures.add(r + " -> " + e);
      }
    } catch (RuntimeException e) {
      failures.add(r + " -> " + e);
    }
  }

  /**
   * A wait on a container (or exec) that is paused, or that a random PATCH gave a restart policy,
   * rightly answers only when it exits: no answer within the client's 30 s is no failure. The
   * daemon's health is checked after the run all the same.
   */
  private static boolean longPoll(HostileRequests.Req r) {
    return r.method().equals("POST")
        && r.target().matches("/v1/containers/[^/?]+(/processes/[^/?]+)?/wait");
  }

  private static boolean isErrorJson(RawHttp.Answer a) {
    try {
      return a.json().has("message") && a.json().has("code");
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  /** Deletes every container of every namespace, then every namespace but the default. */
  private static void deleteAll(Api api) throws Exception {
    for (var n : api.get("/v1/namespaces").any().getAsJsonArray()) {
      String ns = n.getAsJsonObject().get("name").getAsString();
      for (var c : api.get("/v1/containers?namespace=" + ns).any().getAsJsonArray()) {
        String id = c.getAsJsonObject().get("id").getAsString();
        int s = api.delete("/v1/containers/" + id + "?force=1&namespace=" + ns).status();
        assertTrue(s == 204 || s == 404, ns + "/" + id + ": delete answered " + s);
      }
      if (!ns.equals("default")) {
        Api.Reply r = api.delete("/v1/namespaces/" + ns);
        assertEquals(204, r.status(), ns + ": " + r.body());
      }
    }
  }

  /**
   * Every path in the test's dir but the daemon's root and logs (which are the daemon's own), and
   * the default namespace's dirs in the state dir (made by the first create that gets that far, and
   * kept as long as the namespace). Any other namespace's must be gone with the namespace.
   */
  private static Set<String> testArea(Corrald d) throws IOException {
    Path defaultNamespace = d.state.resolve("namespaces/default");
    try (Stream<Path> s = Files.walk(d.root.getParent())) {
      return s.filter(p -> !p.startsWith(d.root) && !p.toString().endsWith(".log"))
          .filter(p -> !p.startsWith(defaultNamespace))
          .map(Path::toString)
          .collect(TreeSet::new, Set::add, Set::addAll);
    }
  }

  /**
   * Files anywhere a request could reach whose name carries this run's marker: every path in a
   * request does. Shared dirs are searched by name, not diffed, since other tests run beside us.
   */
  private static List<Path> namedByRequests(String marker, Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    List<String> areas =
        List.of("/tmp", "/var/tmp", "/run", "/", root.getParent().getParent().toString());
    for (String area : areas) {
      Files.walkFileTree(
          Path.of(area),
          Set.of(),
          area.equals("/") ? 1 : 5,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) {
              check(p);
              return p.startsWith(root) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
              check(p);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException vanished) {
              return FileVisitResult.CONTINUE; // another test's temp file went away: not ours
            }

            private void check(Path p) {
              if (p.getFileName() != null
                  && p.getFileName().toString().contains(marker)
                  && !p.startsWith(root)) {
                found.add(p);
              }
            }
          });
    }
    return found;
  }
}
