package dev.corral.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StartupTraceTest {
  @Test
  void processAgeComesFromStartTicksAgainstUptime() {
    // pid 42, a command with spaces and a ')' in it; field 22 (start time) is 12345 ticks.
    String stat =
        "42 (java (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 20 0 12345 1000 50";
    assertEquals(OptionalLong.of(150), StartupTrace.sinceStart(stat, "123.60 240.00\n"));
  }

  @Test
  void aClockThatWentBackwardsGivesNoAge() {
    String stat = "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999 1 1";
    assertEquals(OptionalLong.empty(), StartupTrace.sinceStart(stat, "10.00 5.00\n"));
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
