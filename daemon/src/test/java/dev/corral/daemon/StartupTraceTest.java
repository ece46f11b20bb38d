package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StartupTraceTest {
  @Test
  void processAgeComesFromStartTicksAgainstUptime() {
    // Started 12345 ticks (123.45 s) after boot; 123.60 s since boot now.
    assertEquals(OptionalLong.of(150), StartupTrace.sinceStart(12345, "123.60 240.00\n"));
  }

  @Test
  void aClockThatWentBackwardsGivesNoAge() {
    assertEquals(OptionalLong.empty(), StartupTrace.sinceStart(99999, "10.00 5.00\n"));
  }

  @Test
  void thisProcessHasAnAge() {
    OptionalLong age = StartupTrace.sinceProcessStart();
    assertTrue(age.isPresent() && age.getAsLong() >= 0, age.toString());
  }

  @Test
  void summaryNamesEveryPhaseInOrderAndTheTotal() {
    StartupTrace t = StartupTrace.begin();
    t.mark("args");
    t.mark("api");
    String s = t.summary();
    assertTrue(s.matches("(jvm \\d+ ms, )?args \\d+ ms, api \\d+ ms, total \\d+ ms"), s);
  }
}
