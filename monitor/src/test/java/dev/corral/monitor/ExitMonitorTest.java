package dev.corral.monitor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a real monitor with real child processes standing in for conmon. No root needed. */
class ExitMonitorTest {
  /** Generous: only a failing test ever waits this long. */
  private static final long TIMEOUT_SECONDS = 30;

  /** PID_MAX_LIMIT on 64-bit Linux: pid_max can be at most this, so no process has this pid. */
  private static final int IMPOSSIBLE_PID = 4 * 1024 * 1024;

  record Report(Watch watch, OptionalInt code, Instant exitedAt, String thread) {}

  @TempDir Path dir;
  private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
  private final List<Process> processes = new ArrayList<>();
  private ExitMonitor monitor;

  @BeforeEach
  void startMonitor() {
    monitor = ExitMonitor.start(this::record);
  }

  @AfterEach
  void stopEverything() {
    monitor.close();
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void reportsTheExitFileCodeAndTimeOnceOnTheMonitorThread() throws Exception {
    Process shim = sleeper();
    Watch watch = watchOf("c1", shim);
    Instant mtime = Instant.parse("2026-11-23T16:28:46.284849964Z");
    Files.setLastModifiedTime(Files.writeString(watch.exitFile(), "3"), FileTime.from(mtime));
    monitor.watch(watch);
    assertEquals(1, monitor.watchCount());

    shim.destroy();
    Report report = next();
    assertEquals(watch, report.watch());
    assertEquals(OptionalInt.of(3), report.code());
    assertEquals(mtime, report.exitedAt());
    assertEquals(ExitMonitor.THREAD_NAME, report.thread());
    assertEquals(0, monitor.watchCount());
    assertNoOtherReport();
  }

  @Test
  void reportsNoCodeWhenTheShimLeftNoExitFile() throws Exception {
    Process shim = sleeper();
    Watch watch = watchOf("c1", shim);
    monitor.watch(watch);
    Instant before = Instant.now();

    shim.destroyForcibly();
    Report report = next();
    assertEquals(watch, report.watch());
    assertEquals(OptionalInt.empty(), report.code());
    assertFalse(report.exitedAt().isBefore(before));
  }

  @Test
  void reportsAReapedProcessOnceFromTheMonitorThread() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(); // the JVM reaped it: pidfd_open now fails with ESRCH
    Watch watch = watchOf("c1", gone);
    Files.writeString(watch.exitFile(), "0");

    monitor.watch(watch);
    Report report = next();
    assertEquals(watch, report.watch());
    assertEquals(OptionalInt.of(0), report.code());
    assertEquals(ExitMonitor.THREAD_NAME, report.thread());
    assertNoOtherReport();
  }

  @Test
  void reportsAPidThatNeverExisted() throws Exception {
    Watch watch = new Watch(ContainerRef.of("c1"), "init", IMPOSSIBLE_PID, dir.resolve("c1.exit"));
    monitor.watch(watch);
    Report report = next();
    assertEquals(watch, report.watch());
    assertEquals(OptionalInt.empty(), report.code());
    assertEquals(0, monitor.watchCount());
  }

  @Test
  void unwatchBeforeTheExitMeansNoReport() throws Exception {
    Process shim = sleeper();
    monitor.watch(watchOf("c1", shim));
    monitor.unwatch("c1/init");
    monitor.unwatch("c1/init"); // a second unwatch, or of an unknown key, is a no-op
    assertEquals(0, monitor.watchCount());

    shim.destroyForcibly();
    shim.waitFor();
    assertNoOtherReport();
  }

  @Test
  void aKeyIsWatchedOnceAtATime() throws Exception {
    Process shim = sleeper();
    monitor.watch(watchOf("c1", shim));
    CorralException e =
        assertThrows(CorralException.class, () -> monitor.watch(watchOf("c1", shim)));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    assertEquals(1, monitor.watchCount());
  }

  @Test
  void closeStopsTheThreadAndClosesEveryFd() throws Exception {
    monitor.close();
    assertFalse(monitorThreadAlive());
    long before = pollableFds();

    ExitMonitor other = ExitMonitor.start(this::record);
    other.watch(watchOf("c1", sleeper()));
    assertEquals(before + 3, pollableFds()); // the epoll set, its wakeup eventfd, one pidfd
    assertTrue(monitorThreadAlive());

    other.close();
    other.close();
    assertFalse(monitorThreadAlive());
    assertEquals(before, pollableFds());
    CorralException e =
        assertThrows(CorralException.class, () -> other.watch(watchOf("c2", sleeper())));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    assertEquals(before, pollableFds());
  }

  @Test
  void fiftyWatchesFromFourThreadsAreEachReportedOnce() throws Exception {
    List<Watch> watches = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Watch watch = watchOf("c" + i, sleeper());
      Files.writeString(watch.exitFile(), Integer.toString(i));
      watches.add(watch);
    }
    watchFromThreads(watches, 4);
    assertEquals(50, monitor.watchCount());

    processes.forEach(Process::destroy);
    Map<String, Report> byKey = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      Report report = next();
      assertNull(byKey.put(report.watch().key(), report), "reported twice");
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(OptionalInt.of(i), byKey.get("c" + i + "/init").code());
    }
    assertEquals(0, monitor.watchCount());
    assertNoOtherReport();
  }

  @Test
  void unwatchRacingTheExitReportsAtMostOnceAndLeaksNoFd() throws Exception {
    long before = pollableFds();
    List<Process> shims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Process shim = sleeper();
      monitor.watch(watchOf("c" + i, shim));
      shims.add(shim);
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 20; i++) {
        String key = "c" + i + "/init";
        Future<?> unwatch = pool.submit(() -> monitor.unwatch(key));
        shims.get(i).destroyForcibly().waitFor();
        unwatch.get();
      }
    } finally {
      pool.shutdown();
    }
    assertNoOtherReportThanOnceEach();
    assertEquals(0, monitor.watchCount());
    assertEquals(before, pollableFds());
  }

  @Test
  void aSinkThatThrowsDoesNotStopLaterReports() throws Exception {
    AtomicBoolean thrown = new AtomicBoolean();
    ExitSink throwsOnce =
        (watch, code, at) -> {
          record(watch, code, at);
          if (thrown.compareAndSet(false, true)) {
            throw new IllegalStateException("sink bug");
          }
        };
    try (ExitMonitor other = ExitMonitor.start(throwsOnce)) {
      Process first = sleeper();
      other.watch(watchOf("c1", first));
      first.destroy();
      assertEquals("c1/init", next().watch().key());

      Process second = sleeper();
      other.watch(watchOf("c2", second));
      second.destroy();
      assertEquals("c2/init", next().watch().key());
      assertTrue(thrown.get());
    }
  }

  @Test
  void theSinkMayCloseTheMonitor() throws Exception {
    AtomicReference<ExitMonitor> self = new AtomicReference<>();
    ExitMonitor other =
        ExitMonitor.start(
            (watch, code, at) -> {
              self.get().close(); // on the monitor thread: must not join itself
              record(watch, code, at);
            });
    self.set(other);
    Process shim = sleeper();
    other.watch(watchOf("c1", shim));
    shim.destroy();
    assertEquals("c1/init", next().watch().key());

    other.close(); // joins the thread, so returning proves it ended
    CorralException e =
        assertThrows(CorralException.class, () -> other.watch(watchOf("c2", sleeper())));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
  }

  private void record(Watch watch, OptionalInt code, Instant exitedAt) {
    reports.add(new Report(watch, code, exitedAt, Thread.currentThread().getName()));
  }

  private Process sleeper() throws IOException {
    Process process = new ProcessBuilder("sleep", "30").start();
    processes.add(process);
    return process;
  }

  private Watch watchOf(String containerId, Process process) {
    return new Watch(
        ContainerRef.of(containerId),
        "init",
        (int) process.pid(),
        dir.resolve(containerId + ".exit"));
  }

  private Report next() throws InterruptedException {
    Report report = reports.poll(TIMEOUT_SECONDS, SECONDS);
    assertNotNull(report, "no report within " + TIMEOUT_SECONDS + " s");
    return report;
  }

  private void watchFromThreads(List<Watch> watches, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(pool.submit(() -> watchEvery(watches, first, threads)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private void watchEvery(List<Watch> watches, int first, int step) {
    for (int i = first; i < watches.size(); i += step) {
      monitor.watch(watches.get(i));
    }
  }

  /**
   * A sentinel exits after everything else; the monitor handles readiness in order on one thread,
   * so any report still owed for earlier processes would arrive before the sentinel's.
   */
  private void assertNoOtherReport() throws Exception {
    assertEquals("sentinel/init", sentinelAndDrain().get(0).watch().key());
  }

  private void assertNoOtherReportThanOnceEach() throws Exception {
    List<Report> seen = sentinelAndDrain();
    assertEquals("sentinel/init", seen.get(seen.size() - 1).watch().key());
    assertEquals(seen.size(), seen.stream().map(r -> r.watch().key()).distinct().count());
  }

  /** Every report up to and including the sentinel's. */
  private List<Report> sentinelAndDrain() throws Exception {
    Process sentinel = sleeper();
    monitor.watch(watchOf("sentinel", sentinel));
    sentinel.destroyForcibly().waitFor();
    List<Report> seen = new ArrayList<>();
    do {
      seen.add(next());
    } while (!seen.get(seen.size() - 1).watch().containerId().equals(ContainerRef.of("sentinel")));
    assertTrue(reports.isEmpty());
    return seen;
  }

  private static boolean monitorThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(ExitMonitor.THREAD_NAME));
  }

  /** Our kinds of fd in this JVM: epoll sets, eventfds, pidfds. */
  private static long pollableFds() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(ExitMonitorTest::target)
          .filter(t -> t.contains("eventpoll") || t.contains("eventfd") || t.contains("pidfd"))
          .count();
    }
  }

  private static String target(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return ""; // the fd Files.list itself used, closed by now
    }
  }
}
