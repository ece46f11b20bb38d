package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcStatTest {
  private static String stat(String comm, char state, long startTime) {
    StringBuilder s = new StringBuilder("1234 (" + comm + ") " + state);
    for (int field = 4; field <= 21; field++) {
      s.append(' ').append(field * 10);
    }
    return s.append(' ').append(startTime).append(" 5000 6000 7\n").toString();
  }

  @Test
  void startTimeIsField22() {
    assertEquals(987654321L, ProcStat.parse(stat("conmon", 'S', 987654321L)).startTime());
  }

  @Test
  void parentIsField4() {
    assertEquals(40, ProcStat.parse(stat("conmon", 'S', 1)).ppid());
    int self = (int) ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    assertEquals(OptionalInt.of((int) parent), ProcStat.parent(self));
    assertEquals(OptionalInt.empty(), ProcStat.parent(Integer.MAX_VALUE));
  }

  @Test
  void commWithSpacesAndParenthesesDoesNotShiftFields() {
    ProcStat.Stat s = ProcStat.parse(stat("a) (b ) c", 'Z', 42));
    assertEquals(42, s.startTime());
    assertEquals('Z', s.state());
  }

  @Test
  void truncatedLineIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("1 (x) S 1 2 3"));
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("garbage"));
  }

  @Test
  void ownProcessIsAliveWithItsStartTime() {
    int self = (int) ProcessHandle.current().pid();
    long start = ProcStat.startTime(self).orElseThrow();
    assertTrue(ProcStat.alive(self, start));
    assertFalse(ProcStat.alive(self, start + 1), "another start time means another process");
  }

  @Test
  void missingProcessHasNoStartTime() {
    assertEquals(OptionalLong.empty(), ProcStat.startTime(Integer.MAX_VALUE));
    assertFalse(ProcStat.alive(Integer.MAX_VALUE, 1));
  }

  @Test
  void runsOfSpacesSeparateFieldsAsOne() {
    ProcStat.Stat s = ProcStat.parse(stat("x", 'R', 77).replace(" 40 ", "   40  "));
    assertEquals(40, s.ppid());
    assertEquals(77, s.startTime());
    assertEquals('R', s.state());
    String twoCharState = "1 (x) SS 1" + " 2".repeat(30);
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(twoCharState));
  }

  @Test
  void startTimeIfChildOfNeedsTheParent() {
    int self = (int) ProcessHandle.current().pid();
    int parent = (int) ProcessHandle.current().parent().orElseThrow().pid();
    assertEquals(ProcStat.startTime(self), ProcStat.startTimeIfChildOf(self, parent));
    assertEquals(OptionalLong.empty(), ProcStat.startTimeIfChildOf(self, parent + 1));
    assertEquals(OptionalLong.empty(), ProcStat.startTimeIfChildOf(Integer.MAX_VALUE, parent));
  }
}
