package dev.corral.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final long T = 1_796_514_001_123_456_789L; // 2026-12-05T23:40:01.123456789Z

  @Test
  void rfc3339WithNanosecondsParsesExactly() {
    assertEquals(T, Timestamps.parseNanos("newerThan", "2026-12-05T23:40:01.123456789Z"));
  }

  @Test
  void unixNanosecondsParseAsTheyAre() {
    assertEquals(T, Timestamps.parseNanos("newerThan", Long.toString(T)));
    assertEquals(0, Timestamps.parseNanos("newerThan", "0"));
  }

  @Test
  void fewerFractionDigitsNoneAndOffsetsAreAccepted() {
    long second = T - 123_456_789L;
    assertEquals(second, Timestamps.parseNanos("newerThan", "2026-12-05T23:40:01Z"));
    assertEquals(
        second + 100_000_000L, Timestamps.parseNanos("newerThan", "2026-12-05T23:40:01.1Z"));
    assertEquals(T, Timestamps.parseNanos("newerThan", "2026-12-06T01:40:01.123456789+02:00"));
    assertEquals(T, Timestamps.parseNanos("newerThan", "2026-12-05t23:40:01.123456789z"));
  }

  @Test
  void formatAndParseRoundTrip() {
    assertEquals("2026-12-05T23:40:01.123456789Z", Timestamps.formatNanos(T));
    assertEquals("1970-01-01T00:00:00.000000000Z", Timestamps.formatNanos(0));
    assertEquals("1969-12-31T23:59:59.999999999Z", Timestamps.formatNanos(-1));
    for (long n : new long[] {0, 1, T, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertEquals(n, Timestamps.parseNanos("t", Timestamps.formatNanos(n)));
    }
    assertEquals(Timestamps.format(Instant.ofEpochSecond(0, T)), Timestamps.formatNanos(T));
  }

  @Test
  void badInputNamesTheField() {
    for (String bad :
        new String[] {
          "",
          "soon",
          "-5",
          "1.5",
          "2026-12-05",
          "2026-12-05T23:40Z",
          "2026-12-05T23:40:01",
          "2026-12-05T23:40:01.1234567891Z",
          "2026-02-30T00:00:00Z",
          "2026-12-05T24:00:00Z",
          "2026-12-05 23:40:01Z",
          "99999999999999999999",
          "2263-01-01T00:00:00Z"
        }) {
      CorralException e =
          assertThrows(CorralException.class, () -> Timestamps.parseNanos("newerThan", bad), bad);
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), bad);
      assertTrue(e.getMessage().startsWith("newerThan: "), e.getMessage());
    }
    assertThrows(CorralException.class, () -> Timestamps.parseNanos("newerThan", null));
  }
}
