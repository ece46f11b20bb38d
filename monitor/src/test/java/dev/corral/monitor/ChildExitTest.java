package dev.corral.monitor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.runtime.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit of a shim's child, through the child's own pidfd: a shell plays conmon (it starts the
 * child, reaps it, then waits on its stdin before it writes an exit file and exits), so the test
 * decides when "conmon" finishes. No root needed.
 */
class ChildExitTest {
  private static final long TIMEOUT_SECONDS = 30;

  record Report(Watch watch, OptionalInt code) {}

  /** A started fake conmon and its child's pid. */
  record Shim(Process process, int child) {}

  @TempDir Path dir;
  private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
  private final List<Process> processes = new ArrayList<>();
  private ExitMonitor monitor;

  @BeforeEach
  void startMonitor() {
    monitor = ExitMonitor.start((w, code, at) -> reports.add(new Report(w, code)));
  }

  @AfterEach
  void stopEverything() {
    monitor.close();
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void theChildsExitIsReportedWithTheKernelsCodeBeforeTheShimFinishes() throws Exception {
    Shim shim = shim("3");
    monitor.watch(watchOf(shim, 0));

    ProcessHandle.of(shim.child()).orElseThrow().destroyForcibly(); // SIGKILL
    Report report = next();
    assertEquals(OptionalInt.of(137), report.code());
    assertTrue(shim.process().isAlive(), "reported while the shim still runs");
    assertFalse(Files.exists(exitFile()), "reported before the shim wrote its file");

    shim.process().getOutputStream().close(); // let it write its file and exit
    shim.process().waitFor();
    assertNoSecondReport();
  }

  @Test
  void theTrueCodeIsReportedWhenTheShimCannotWriteItsFile() throws Exception {
    Shim shim = shim(null); // like conmon on a full disk
    monitor.watch(watchOf(shim, 0));

    ProcessHandle.of(shim.child()).orElseThrow().destroy(); // SIGTERM
    assertEquals(OptionalInt.of(143), next().code());
    shim.process().getOutputStream().close();
    shim.process().waitFor();
    assertNoSecondReport();
  }

  @Test
  void aChildWithAnotherStartTimeIsNotTrustedAndTheFileDecides() throws Exception {
    Shim shim = shim("42");
    monitor.watch(watchOf(shim, 1)); // as if the pid had been reused since conmon reported it

    ProcessHandle.of(shim.child()).orElseThrow().destroyForcibly();
    shim.process().getOutputStream().close();
    assertEquals(OptionalInt.of(42), next().code());
  }

  @Test
  void aShimThatDiesFirstIsStillReportedWithoutACode() throws Exception {
    Shim shim = shim("3");
    monitor.watch(watchOf(shim, 0));

    shim.process().destroyForcibly(); // conmon killed: its child runs on, unsupervised
    Report report = next();
    assertEquals(OptionalInt.empty(), report.code());
    assertTrue(ProcessHandle.of(shim.child()).orElseThrow().isAlive());
    ProcessHandle.of(shim.child()).orElseThrow().destroyForcibly();
    assertNoSecondReport();
  }

  /**
   * A shell that starts {@code sleep} and reaps it, then waits for its stdin to close before it
   * writes {@code fileCode} (if any) to the exit file and exits.
   */
  private Shim shim(String fileCode) throws IOException {
    String write = fileCode == null ? "" : "printf " + fileCode + " > " + exitFile();
    String script = "sleep 100 & echo $!; wait $!; cat > /dev/null; " + write;
    Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    return new Shim(p, Integer.parseInt(out.readLine().trim()));
  }

  private Watch watchOf(Shim shim, long startTimeSkew) {
    long start = ProcStat.startTime(shim.child()).orElseThrow() + startTimeSkew;
    return new Watch(
        ContainerRef.of("c1"), "init", (int) shim.process().pid(), exitFile(), shim.child(), start);
  }

  private Path exitFile() {
    return dir.resolve("c1.exit");
  }

  private Report next() throws InterruptedException {
    Report report = reports.poll(TIMEOUT_SECONDS, SECONDS);
    assertNotNull(report, "no report within " + TIMEOUT_SECONDS + " s");
    return report;
  }

  /** A sentinel's report comes after any report still owed: the monitor handles fds in order. */
  private void assertNoSecondReport() throws Exception {
    Process sentinel = new ProcessBuilder("sleep", "30").start();
    processes.add(sentinel);
    monitor.watch(
        new Watch(
            ContainerRef.of("sentinel"), "init", (int) sentinel.pid(), dir.resolve("s.exit")));
    sentinel.destroyForcibly().waitFor();
    assertEquals("sentinel/init", next().watch().key());
    assertEquals(0, monitor.registrationCount(), "every pidfd is closed");
  }
}
