package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  @TempDir Path dir;

  private void append(Path f, String s) throws Exception {
    Files.writeString(
        f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void missingLogReadsAsEmpty() throws Exception {
    assertTrue(new LogReader(dir.resolve("none.log")).readNew().isEmpty());
  }

  @Test
  void returnsOnlyNewCompleteLinesAndKeepsAnUnfinishedOne() throws Exception {
    Path f = dir.resolve("container.log");
    LogReader r = new LogReader(f);
    append(f, "2026-11-23T17:10:00.1+00:00 stdout P hel\n2026-11-23T17:10:00.2+00:00 stdout F lo");
    List<LogLine> first = r.readNew();
    assertEquals(1, first.size());
    assertEquals("hel", first.get(0).output());
    append(f, "\n2026-11-23T17:10:00.3+00:00 stderr F oops\n");
    List<LogLine> second = r.readNew();
    assertEquals(List.of("lo\n", "oops\n"), second.stream().map(LogLine::output).toList());
    assertEquals("stderr", second.get(1).stream());
    assertTrue(r.readNew().isEmpty());
  }

  @Test
  void malformedLinesAreSkipped() throws Exception {
    Path f = dir.resolve("container.log");
    append(f, "junk\n2026-11-23T17:10:00Z stdout F ok\n");
    assertEquals(1, new LogReader(f).readNew().size());
  }

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
    LogLine l = LogLine.parse("2026-11-23T17:10:00.1+00:00 stdout F hi").get();
    assertEquals(
        "{\"timestamp\":\"2026-11-23T17:10:00.100000000Z\",\"stream\":\"stdout\",\"log\":\"hi\\n\"}\n",
        LogRoutes.json(l));
  }
}
