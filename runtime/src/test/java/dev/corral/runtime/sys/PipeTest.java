package dev.corral.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipeTest {
  @Test
  void silentWriterMakesReadLineTimeOut() {
    try (Pipe p = Pipe.open()) {
      long t0 = System.nanoTime();
      assertEquals(Optional.empty(), p.readLine(t0 + 100_000_000L));
      assertTrue(System.nanoTime() - t0 >= 90_000_000L);
    }
  }

  @Test
  void closedWriterGivesWhatWasWritten() {
    try (Pipe p = Pipe.open()) {
      p.writeByte();
      p.closeWrite();
      assertEquals(Optional.of("\0"), p.readLine(System.nanoTime() + 1_000_000_000L));
    }
  }
}
