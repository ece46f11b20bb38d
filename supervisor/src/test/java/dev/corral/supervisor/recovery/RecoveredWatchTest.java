package dev.corral.supervisor.recovery;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.ContainerRef;
import dev.corral.monitor.ExitMonitor;
import dev.corral.monitor.Watch;
import dev.corral.runtime.Created;
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
 * The watch of a container found running at a daemon restart covers the init's own pidfd, so its
 * exit comes with the kernel's code as soon as conmon reaps it. A shell plays conmon: it starts the
 * init (sleep), reaps it, and then waits on its stdin; it writes no exit file (as conmon on a full
 * disk), so a reported code can only have come from the init's pidfd. No root needed.
 */
class RecoveredWatchTest {
  private static final ContainerRef ID = ContainerRef.of("r1");

  /** A fake conmon and its child's pid. */
  record Shim(Process process, int child) {}

  @TempDir Path dir;
  private final BlockingQueue<OptionalInt> codes = new LinkedBlockingQueue<>();
  private final List<Process> processes = new ArrayList<>();
  private ExitMonitor monitor;

  @BeforeEach
  void startMonitor() {
    monitor = ExitMonitor.start((w, code, at) -> codes.add(code));
  }

  @AfterEach
  void stopEverything() {
    monitor.close();
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void theInitRecordedWithItsStartTimeIsWatchedThroughItsOwnPidfd() throws Exception {
    Shim shim = shim();
    long start = ProcStat.startTime(shim.child()).orElseThrow();
    Watch w = RecoveredWatch.of(ID, created(shim, start), exitFile());
    assertEquals(shim.child(), w.childPid());
    assertEquals(start, w.childStartTime());

    monitor.watch(w);
    ProcessHandle.of(shim.child()).orElseThrow().destroyForcibly(); // SIGKILL
    assertEquals(OptionalInt.of(137), next());
    assertTrue(shim.process().isAlive(), "reported while conmon still runs");
    assertFalse(Files.exists(exitFile()));
  }

  @Test
  void aRecordWithoutTheStartTimeTakesItFromTheLiveChildOfConmon() throws Exception {
    Shim shim = shim();
    Watch w = RecoveredWatch.of(ID, created(shim, Created.UNKNOWN), exitFile());
    assertEquals(shim.child(), w.childPid());
    assertEquals(ProcStat.startTime(shim.child()).orElseThrow(), w.childStartTime());

    monitor.watch(w);
    ProcessHandle.of(shim.child()).orElseThrow().destroy(); // SIGTERM
    assertEquals(OptionalInt.of(143), next());
  }

  @Test
  void aPidThatIsNotConmonsChildIsNotWatchedAndConmonsFileDecides() throws Exception {
    Shim shim = shim();
    Process stranger = new ProcessBuilder("sleep", "100").start(); // the pid reused by another
    processes.add(stranger);
    Created c = new Created((int) stranger.pid(), (int) shim.process().pid(), 1L);
    Watch w = RecoveredWatch.of(ID, c, exitFile());
    assertEquals(Watch.NO_CHILD, w.childPid());

    monitor.watch(w);
    stranger.destroyForcibly().waitFor();
    Files.writeString(exitFile(), "42");
    shim.process().destroyForcibly(); // conmon's exit: its file has the code
    assertEquals(OptionalInt.of(42), next());
  }

  private static Created created(Shim shim, long initStart) throws IOException {
    int conmon = (int) shim.process().pid();
    return new Created(shim.child(), conmon, ProcStat.startTime(conmon).orElseThrow(), initStart);
  }

  /** A shell that starts {@code sleep}, prints its pid, reaps it, then waits for its stdin. */
  private Shim shim() throws IOException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", "sleep 100 & echo $!; wait $!; cat > /dev/null")
            .start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    return new Shim(p, Integer.parseInt(out.readLine().trim()));
  }

  private Path exitFile() {
    return dir.resolve("exit");
  }

  private OptionalInt next() throws InterruptedException {
    OptionalInt code = codes.poll(30, SECONDS);
    assertNotNull(code, "no exit reported within 30 s");
    return code;
  }
}
