package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.event.EventType;
import dev.corral.supervisor.event.Start;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventQueryTest {
  private static final Instant T = Instant.parse("2026-11-23T16:28:46.284849964Z");

  private static EventQuery since(String v) {
    return EventQuery.parse(null, v, null, null, null, null, null, false);
  }

  @Test
  void sinceTakesRfc3339WithNanosAnyOffsetOrUnixSecondsWithAFraction() {
    assertEquals(Start.since(T), since("2026-11-23T16:28:46.284849964Z").start());
    assertEquals(Start.since(T), since("2026-11-23T17:28:46.284849964+01:00").start());
    assertEquals(Start.since(T), since(T.getEpochSecond() + ".284849964").start());
    assertEquals(Start.since(T.minusNanos(4849964)), since(T.getEpochSecond() + ".28").start());
    assertEquals(
        Start.since(Instant.ofEpochSecond(T.getEpochSecond())),
        since("" + T.getEpochSecond()).start());
  }

  @Test
  void afterWinsOverLastEventIdWhichWinsOverSince() {
    String t = T.toString();
    assertEquals(
        Start.after(5), EventQuery.parse(null, t, null, "5", "9", null, null, false).start());
    assertEquals(
        Start.after(9), EventQuery.parse(null, t, null, null, " 9", null, null, false).start());
    assertEquals(
        Start.LIVE, EventQuery.parse(null, null, null, null, null, null, null, false).start());
  }

  @Test
  void storedAloneReplaysEverythingRetained() {
    assertEquals(
        Start.after(0), EventQuery.parse(null, null, null, null, null, null, null, true).start());
    assertEquals(
        Start.after(7), EventQuery.parse(null, null, null, "7", null, null, null, true).start());
  }

  @Test
  void filtersTakeAnIdAndCommaSeparatedOrRepeatedTypes() {
    EventQuery q =
        EventQuery.parse(null, null, null, null, null, "c1", List.of("exit,oom", "delete"), false);
    assertEquals("c1", q.filter().id());
    assertEquals(Set.of(EventType.EXIT, EventType.OOM, EventType.DELETE), q.filter().types());
  }

  @Test
  void badValuesAreInvalidArgumentsNamingTheParameter() {
    String[][] cases = {
      {"since", "2026-11-23"},
      {"since", "1.1234567891"},
      {"since", "-5"},
      {"until", "soon"},
      {"after", "-1"},
      {"after", "1e3"},
      {"Last-Event-ID", "x"},
      {"type", "live"},
      {"id", "a/b"},
    };
    for (String[] c : cases) {
      CorralException e = assertThrows(CorralException.class, () -> parse(c[0], c[1]), c[1]);
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertTrue(e.getMessage().startsWith(c[0] + ": "), e.getMessage());
    }
  }

  private static EventQuery parse(String field, String v) {
    return switch (field) {
      case "since" -> EventQuery.parse(null, v, null, null, null, null, null, false);
      case "until" -> EventQuery.parse(null, null, v, null, null, null, null, false);
      case "after" -> EventQuery.parse(null, null, null, v, null, null, null, false);
      case "Last-Event-ID" -> EventQuery.parse(null, null, null, null, v, null, null, false);
      case "type" -> EventQuery.parse(null, null, null, null, null, null, List.of(v), false);
      default -> EventQuery.parse(null, null, null, null, null, v, null, false);
    };
  }
}
