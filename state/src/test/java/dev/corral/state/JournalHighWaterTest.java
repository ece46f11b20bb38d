package dev.corral.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalHighWaterTest {
  @TempDir Path dir;

  @Test
  void theMarkIsTheLargerValidSlotAndSurvivesOneTornSlot() throws Exception {
    assertEquals(0, JournalHighWater.read(dir));
    try (JournalHighWater h = JournalHighWater.open(dir, 7)) {
      h.write(8);
      h.write(9);
      h.write(5); // never backwards
    }
    assertEquals(9, JournalHighWater.read(dir));
    Path f = dir.resolve(JournalHighWater.NAME);
    byte[] b = Files.readAllBytes(f);
    assertEquals(32, b.length); // full size from the start: no allocation on later writes
    b[16 + 3] ^= 1; // slot 1 holds 9 (writes alternate); tear it
    Files.write(f, b);
    assertEquals(8, JournalHighWater.read(dir));
  }
}
