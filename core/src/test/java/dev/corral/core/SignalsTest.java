package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignalsTest {
  @Test
  void namesWithAndWithoutPrefixAndNumbers() {
    assertEquals(15, Signals.parse("signal", "TERM"));
    assertEquals(9, Signals.parse("signal", "SIGKILL"));
    assertEquals(9, Signals.parse("signal", "sigkill"));
    assertEquals(10, Signals.parse("signal", "10"));
  }

  @Test
  void unknownNamesAndBadNumbersNameTheField() {
    for (String bad : new String[] {"FOO", "0", "65", "99999999999", "", "-1"}) {
      CorralException e = assertThrows(CorralException.class, () -> Signals.parse("signal", bad));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertTrue(e.getMessage().startsWith("signal: "), e.getMessage());
    }
  }

  @Test
  void timestampsKeepNineFractionDigits() {
    assertEquals(
        "2026-11-23T16:28:46.284849964Z",
        Timestamps.format(Instant.parse("2026-11-23T16:28:46.284849964Z")));
    assertEquals("1970-01-01T00:00:01.000000000Z", Timestamps.format(Instant.ofEpochSecond(1)));
  }
}
