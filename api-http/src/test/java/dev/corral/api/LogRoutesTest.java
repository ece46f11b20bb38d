package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.supervisor.task.LogEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogRoutesTest {
  @Test
  void sinceAcceptsRfc3339AndUnixSeconds() {
    Instant t = Instant.parse("2026-11-23T17:10:00.5Z");
    assertEquals(t, LogQuery.time("since", "2026-11-23T17:10:00.5Z"));
    assertEquals(t, LogQuery.time("since", "2026-11-23T18:10:00.5+01:00"));
    assertEquals(t, LogQuery.time("since", t.getEpochSecond() + ".5"));
    CorralException e =
        assertThrows(CorralException.class, () -> LogQuery.time("since", "yesterday"));
    assertTrue(e.getMessage().startsWith("since: "), e.getMessage());
  }

  @Test
  void entriesSerializeAsNdjsonWithTheOutputAsWritten() {
    LogEntry l = new LogEntry(Instant.parse("2026-11-23T17:10:00.1Z"), "stdout", "hi\n");
    assertEquals(
        "{\"timestamp\":\"2026-11-23T17:10:00.100000000Z\",\"stream\":\"stdout\",\"log\":\"hi\\n\"}\n",
        LogRoutes.json(l));
  }
}
