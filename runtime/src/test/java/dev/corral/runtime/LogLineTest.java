package dev.corral.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineTest {
  @Test
  void fullLineGetsItsNewlineBack() {
    LogLine l = LogLine.parse("2026-11-23T17:10:00.123456789+00:00 stdout F hello world").get();
    assertEquals(Instant.parse("2026-11-23T17:10:00.123456789Z"), l.timestamp());
    assertEquals("stdout", l.stream());
    assertFalse(l.partial());
    assertEquals("hello world", l.text());
    assertEquals("hello world\n", l.output());
  }

  @Test
  void partialChunkKeepsNoNewline() {
    LogLine l = LogLine.parse("2026-11-23T18:10:00.5+01:00 stderr P no newline yet").get();
    assertEquals(Instant.parse("2026-11-23T17:10:00.5Z"), l.timestamp());
    assertEquals("stderr", l.stream());
    assertTrue(l.partial());
    assertEquals("no newline yet", l.output());
  }

  @Test
  void emptyLineAndTextWithSpacesSurvive() {
    assertEquals("\n", LogLine.parse("2026-11-23T17:10:00Z stdout F").get().output());
    assertEquals("\n", LogLine.parse("2026-11-23T17:10:00Z stdout F ").get().output());
    assertEquals(
        "  two  spaces \n",
        LogLine.parse("2026-11-23T17:10:00Z stdout F   two  spaces ").get().output());
  }

  @Test
  void malformedLinesAreRejected() {
    assertTrue(LogLine.parse("").isEmpty());
    assertTrue(LogLine.parse("garbage").isEmpty());
    assertTrue(LogLine.parse("2026-11-23T17:10:00Z stdin F x").isEmpty());
    assertTrue(LogLine.parse("2026-11-23T17:10:00Z stdout X x").isEmpty());
    assertTrue(LogLine.parse("2026-11-23T17:10:00Z stdout FF x").isEmpty());
    assertTrue(LogLine.parse("yesterday stdout F x").isEmpty());
  }
}
