package dev.corral.supervisor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.runtime.LogLine;
import dev.corral.supervisor.task.LogEntry;
import dev.corral.supervisor.task.LogFilter;
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
  void aSourceParsesEntriesFiltersThemAndTailsOnlyItsFirstRead() throws Exception {
    Path f = dir.resolve("container.log");
    append(f, "2026-11-23T17:10:00.1+00:00 stdout F one\n");
    append(f, "2026-11-23T17:10:00.2+00:00 stderr F two\n");
    append(f, "2026-11-23T17:10:00.3+00:00 stdout P thr\n");
    append(f, "2026-11-23T17:10:00.4+00:00 stdout F ee\n");
    LogFilter onlyStdout = new LogFilter(null, 2, true, false);
    FileLogSource s = new FileLogSource(new LogReader(f), onlyStdout, () -> true);
    List<LogEntry> first = s.next();
    assertEquals(List.of("thr", "ee\n"), first.stream().map(LogEntry::log).toList());
    assertEquals(Instant.parse("2026-11-23T17:10:00.3Z"), first.get(0).timestamp());
    append(f, "2026-11-23T17:10:00.5+00:00 stdout F four\n");
    append(f, "2026-11-23T17:10:00.6+00:00 stdout F five\n");
    append(f, "2026-11-23T17:10:00.7+00:00 stdout F six\n");
    assertEquals(3, s.next().size()); // the tail cut only what was already written
    assertTrue(s.ended());
  }

  @Test
  void sinceKeepsOnlyLaterEntries() throws Exception {
    Path f = dir.resolve("container.log");
    append(f, "2026-11-23T17:10:00.1+00:00 stdout F old\n2026-11-23T17:10:01+00:00 stdout F new\n");
    LogFilter since = new LogFilter(Instant.parse("2026-11-23T17:10:00.1Z"), -1, true, true);
    List<LogEntry> got = new FileLogSource(new LogReader(f), since, () -> false).next();
    assertEquals(List.of("new\n"), got.stream().map(LogEntry::log).toList());
  }
}
