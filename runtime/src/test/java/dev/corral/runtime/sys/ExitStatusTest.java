package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
  @Test
  void anExitCodeIsReportedAsItIs() {
    ExitStatus s = new ExitStatus(3 << 8); // what waitpid gives for exit(3)
    assertTrue(s.exited());
    assertEquals(3, s.exitCode());
    assertEquals(0, s.signal());
    assertEquals(3, s.code());
  }

  @Test
  void exitZeroIsSuccess() {
    assertTrue(new ExitStatus(0).success());
    assertEquals(0, new ExitStatus(0).code());
  }

  @Test
  void aSignalDeathIs128PlusTheSignalAsConmonWritesIt() {
    assertEquals(137, new ExitStatus(9).code());
    assertEquals(143, new ExitStatus(15).code());
    assertFalse(new ExitStatus(9).exited());
    assertEquals(9, new ExitStatus(9).signal());
  }

  @Test
  void theCoreDumpBitDoesNotChangeTheSignal() {
    ExitStatus segv = new ExitStatus(0x80 | 11); // WCOREDUMP set, SIGSEGV
    assertEquals(11, segv.signal());
    assertEquals(139, segv.code());
  }

  @Test
  void anExitCodeAbove127StaysAsItIs() {
    assertEquals(255, new ExitStatus(255 << 8).code());
    assertEquals(143, new ExitStatus(143 << 8).code());
  }
}
