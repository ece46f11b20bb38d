package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExecFifo} against a shell standing in for {@code runc init}: it blocks in opening the FIFO
 * for writing, writes one byte, then does what the test needs. The real runc is in RuncRuntimeIT.
 */
class ExecFifoTest {
  private static final long TEN_S = 10_000_000_000L;

  @TempDir Path dir;
  private Path fifo;
  private Process init;

  @BeforeEach
  void mkfifo() throws Exception {
    fifo = dir.resolve(ExecFifo.NAME);
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }

  @AfterEach
  void kill() {
    if (init != null) {
      init.destroyForcibly();
    }
  }

  private Process init(String script) throws Exception {
    init = new ProcessBuilder("sh", "-c", script, "init", fifo.toString(), dir.toString()).start();
    return init;
  }

  private static long startTime(Process p) {
    return ProcStat.startTime((int) p.pid()).orElseThrow();
  }

  private static long deadline() {
    return System.nanoTime() + TEN_S;
  }

  @Test
  void theByteReleasesTheInitAndTheFifoIsRemoved() throws Exception {
    // Like runc init: blocked in open(O_WRONLY) until a reader comes, then one byte, then "exec".
    Process p = init("printf 0 > \"$1\" && touch \"$2/exec\" && exit 7");
    ExecFifo.Outcome o =
        ExecFifo.start("container c", fifo, (int) p.pid(), startTime(p), deadline());
    assertEquals(ExecFifo.Outcome.STARTED, o);
    assertFalse(Files.exists(fifo), "runc's state says created while the FIFO exists");
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(7, p.exitValue());
    assertTrue(Files.exists(dir.resolve("exec")));
  }

  @Test
  void anInitThatStartedEarlierIsWaitedFor() throws Exception {
    // The init reaches the FIFO after the reader opened it (runc create returned just before).
    Process p = init("sleep 0.3; printf 0 > \"$1\"; sleep 30");
    long start = startTime(p);
    assertEquals(
        ExecFifo.Outcome.STARTED,
        ExecFifo.start("container c", fifo, (int) p.pid(), start, deadline()));
    assertFalse(Files.exists(fifo));
  }

  @Test
  void withoutTheFifoRuncStartMustDecide() throws Exception {
    Files.delete(fifo); // already started, or a runtime without one
    Process p = init("sleep 30");
    assertEquals(
        ExecFifo.Outcome.NOT_HANDLED,
        ExecFifo.start("container c", fifo, (int) p.pid(), startTime(p), deadline()));
  }

  @Test
  void anInitThatDiesWithoutWritingLeavesItToRuncStart() throws Exception {
    Process p = init("sleep 0.3");
    long start = startTime(p);
    assertEquals(
        ExecFifo.Outcome.NOT_HANDLED,
        ExecFifo.start("container c", fifo, (int) p.pid(), start, deadline()));
    assertTrue(Files.exists(fifo), "nothing is removed when nothing was started");
  }

  @Test
  void anInitAlreadyGoneOrAnotherProcessIsNotTouched() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    assertEquals(
        ExecFifo.Outcome.NOT_HANDLED,
        ExecFifo.start("container c", fifo, (int) gone.pid(), Created.UNKNOWN, deadline()));
    Process p = init("printf 0 > \"$1\"; sleep 30");
    assertEquals(
        ExecFifo.Outcome.NOT_HANDLED,
        ExecFifo.start("container c", fifo, (int) p.pid(), startTime(p) + 1, deadline()));
    assertTrue(Files.exists(fifo));
    assertTrue(p.isAlive(), "still blocked: the FIFO was never opened for reading");
  }

  @Test
  void aWriterThatClosesWithoutTheByteIsAnError() throws Exception {
    Process p = init(": > \"$1\"; sleep 30");
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> ExecFifo.start("container c", fifo, (int) p.pid(), startTime(p), deadline()));
    assertEquals(
        "container c: start: the container's init closed exec.fifo without starting",
        e.getMessage());
  }

  @Test
  void aDeadlineEndsTheWait() throws Exception {
    Process p = init("sleep 30"); // never opens the FIFO
    long deadline = System.nanoTime() + 300_000_000L;
    CorralException e =
        assertThrows(
            CorralException.class,
            () -> ExecFifo.start("container c", fifo, (int) p.pid(), startTime(p), deadline));
    assertEquals(
        "container c: start: the container's init did not open exec.fifo in time", e.getMessage());
  }
}
