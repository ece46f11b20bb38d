package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The daemon's duration flags read the API's notation ({@code Durations}), zero allowed. */
class GraceConverterTest {
  private final Main.GraceConverter c = new Main.GraceConverter();

  @Test
  void readsUnitsPlainSecondsAndZero() {
    assertEquals(Duration.ofSeconds(10), c.convert("10s"));
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofSeconds(90), c.convert("1m30s"));
    assertEquals(Duration.ofSeconds(30), c.convert(" 30 "));
    assertEquals(Duration.ZERO, c.convert("0"));
  }

  @Test
  void anythingElseIsAConversionErrorNamingTheValue() {
    for (String bad : new String[] {"", "ten", "10x", "-1s", "99999999999999999999h"}) {
      CommandLine.TypeConversionException e =
          assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(bad));
      assertEquals(bad + " is not a duration like 10s, 500ms or 2m", e.getMessage());
    }
  }
}
