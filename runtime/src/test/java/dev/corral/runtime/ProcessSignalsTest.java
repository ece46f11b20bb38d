package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessSignalsTest {
  @Test
  void aSignalReachesTheProcessThatStartedAtTheRecordedTime() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      int pid = (int) p.pid();
      long start = ProcStat.startTime(pid).orElseThrow();
      ProcessSignals.send("c1", "e1", pid, start, 15);
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(143, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aPidWithAnotherStartTimeIsNotSignalled() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      int pid = (int) p.pid();
      long start = ProcStat.startTime(pid).orElseThrow();
      CorralException e =
          assertThrows(
              CorralException.class, () -> ProcessSignals.send("c1", "e1", pid, start + 1, 9));
      assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
      assertEquals("container c1: process e1: has exited", e.getMessage());
      assertTrue(p.isAlive(), "a reused pid must not be killed");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aProcessThatIsGoneIsReportedAsExited() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    CorralException e =
        assertThrows(
            CorralException.class, () -> ProcessSignals.send("c1", "e1", (int) p.pid(), 1, 9));
    assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
  }
}
