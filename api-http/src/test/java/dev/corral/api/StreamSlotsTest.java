package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import org.junit.jupiter.api.Test;

class StreamSlotsTest {
  @Test
  void thePastTheCapStreamIsUnavailableNamingTheLimitAndAClosedSlotIsFreeAgain() {
    StreamSlots s = new StreamSlots(2);
    StreamSlots.Slot a = s.open();
    StreamSlots.Slot b = s.open();
    CorralException e = assertThrows(CorralException.class, s::open);
    assertEquals(ErrorKind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains("--max-streams limit is 2"), e.getMessage());
    a.close();
    a.close(); // twice frees one slot only
    assertEquals(1, s.inUse());
    StreamSlots.Slot c = s.open();
    assertThrows(CorralException.class, s::open);
    b.close();
    c.close();
    assertEquals(0, s.inUse());
  }

  @Test
  void thePoolKeepsAReserveBesideTheStreams() {
    assertEquals(256, new StreamSlots(StreamSlots.DEFAULT_MAX).poolSize());
    assertEquals(2 + StreamSlots.RESERVED_THREADS, new StreamSlots(2).poolSize());
  }

  @Test
  void aCapBelowOneIsRefusedNamingTheOption() {
    CorralException e = assertThrows(CorralException.class, () -> new StreamSlots(0));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().startsWith("max-streams: 0"), e.getMessage());
  }
}
