package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  private static final Duration MAX = Duration.ofMinutes(5);

  private static Duration parse(String text) {
    return Durations.parse("timeout", text, MAX);
  }

  @Test
  void goNotationAndPlainSecondsParse() {
    assertEquals(Duration.ofSeconds(30), parse("30s"));
    assertEquals(Duration.ofMillis(500), parse("500ms"));
    assertEquals(Duration.ofMinutes(5), parse("5m"));
    assertEquals(Duration.ofSeconds(90), parse("1m30s"));
    assertEquals(Duration.ofSeconds(30), parse("30"));
    assertEquals(Duration.ofNanos(1_500_001), parse("1ms500us1ns"));
    assertEquals(Duration.ofMinutes(5), parse("4m60s"));
  }

  @Test
  void zeroNegativeAndTooLongAreRefusedNamingTheField() {
    for (String bad : new String[] {"0", "0s", "0m0s", "-1s", "-5", "5m1ns", "301", "1h"}) {
      CorralException e = assertThrows(CorralException.class, () -> parse(bad), bad);
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), bad);
      assertTrue(e.getMessage().startsWith("timeout: "), e.getMessage());
    }
  }

  @Test
  void unparsableTextIsRefusedNamingTheField() {
    for (String bad :
        new String[] {
          "",
          "s",
          "30 s",
          "1.5s",
          "30x",
          "30S",
          "1s1m",
          "1m1m",
          " 30",
          "99999999999999999999s",
          "9999999999h",
          "1".repeat(65)
        }) {
      CorralException e = assertThrows(CorralException.class, () -> parse(bad), bad);
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), bad);
      assertTrue(e.getMessage().startsWith("timeout: "), e.getMessage());
    }
    assertThrows(CorralException.class, () -> parse(null));
  }

  @Test
  void formatWritesWhatParseReads() {
    assertEquals("5m", Durations.format(MAX));
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
    for (String s : new String[] {"1m30s", "500ms", "2m0s1ns"}) {
      assertEquals(parse(s), parse(Durations.format(parse(s))));
    }
  }
}
